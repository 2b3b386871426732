import type { FeedView } from '../feed-view.js';
import { atomLinks } from '../xml.js';
import type { RssNamespace } from './namespace.js';

export const ATOM: RssNamespace = { prefix: 'atom', uri: 'http://www.w3.org/2005/Atom' };

/** RSS has no element for self, hub or paging links: Atom's link carries them. */
export function atomChannel(feed: FeedView) {
  return { 'atom:link': atomLinks(feed.selfUrls.rss, feed.pageLinks?.rss, 'application/rss+xml', feed.hubUrl) };
}
