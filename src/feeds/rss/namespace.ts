/** An XML namespace an RSS document may declare on <rss>: the prefix its elements use and its URI. */
export interface RssNamespace {
  readonly prefix: string;
  readonly uri: string;
}
