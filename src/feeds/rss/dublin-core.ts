import type { FeedEntryView } from '../feed-view.js';
import type { RssNamespace } from './namespace.js';

export const DUBLIN_CORE: RssNamespace = { prefix: 'dc', uri: 'http://purl.org/dc/elements/1.1/' };

// RSS <author> must be an e-mail address; a name alone goes in Dublin Core's creator.
export function dublinCoreItem(entry: FeedEntryView['entry']) {
  return { 'dc:creator': entry.author };
}
