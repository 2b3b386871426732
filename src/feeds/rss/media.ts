import { formatCredit } from '../../entries/content-html.js';
import type { FeedEntryView } from '../feed-view.js';
import type { RssNamespace } from './namespace.js';

export const MEDIA: RssNamespace = { prefix: 'media', uri: 'http://search.yahoo.com/mrss/' };

/** Media RSS for apps: the article's image with its type, size (only when known) and photo credit. */
export function mediaItem(entry: FeedEntryView['entry']) {
  if (!entry.image) return {};
  const { image, imageType, imageLength, credit } = entry;
  return {
    'media:content': {
      '@_url': image,
      '@_medium': 'image',
      ...(imageType ? { '@_type': imageType } : {}),
      ...(imageLength ? { '@_fileSize': String(imageLength) } : {}),
      'media:description': { '@_type': 'plain', '#text': entry.title },
      ...(credit ? { 'media:credit': { '@_role': 'photographer', '#text': formatCredit(credit) } } : {}),
    },
  };
}
