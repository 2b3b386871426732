import type { FeedEntryView } from '../feed-view.js';
import type { RssNamespace } from './namespace.js';

export const CONTENT: RssNamespace = { prefix: 'content', uri: 'http://purl.org/rss/1.0/modules/content/' };

/** The full article as HTML; RSS's own description stays the plain-text summary. */
export function contentItem(view: FeedEntryView) {
  return { 'content:encoded': view.contentHtml };
}
