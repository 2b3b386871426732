import type { FeedEntryView, FeedView } from '../feed-view.js';
import type { RssNamespace } from './namespace.js';

export const ITUNES: RssNamespace = { prefix: 'itunes', uri: 'http://www.itunes.com/dtds/podcast-1.0.dtd' };

/**
 * Item-level tags Apple Podcasts requires or recommends for an episode (its audio is the RSS enclosure). An episode
 * is as explicit as its show (PODCAST_EXPLICIT); outside a show there is no setting to follow.
 */
export function itunesItem(entry: FeedEntryView['entry'], explicit: boolean) {
  if (!entry.audio) return {};
  return {
    'itunes:title': entry.title,
    'itunes:duration': String(entry.audio.duration),
    'itunes:explicit': String(explicit),
    'itunes:episodeType': 'full',
  };
}

/** Channel-level tags of a podcast feed (Apple Podcasts: artwork, category, explicit, owner). */
export function itunesChannel(feed: FeedView) {
  if (!feed.podcast) return {};
  const { image, itunesCategory, explicit, ownerName, ownerEmail } = feed.podcast;
  return {
    'itunes:image': { '@_href': image },
    'itunes:category': { '@_text': itunesCategory },
    'itunes:explicit': String(explicit),
    'itunes:author': feed.author,
    'itunes:owner': { 'itunes:name': ownerName, 'itunes:email': ownerEmail },
    'itunes:type': 'episodic',
  };
}
