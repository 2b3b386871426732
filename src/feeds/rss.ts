import { toRfc822 } from '../articles/dates.js';
import { formatCredit } from '../entries/content-html.js';
import type { FeedEntryView, FeedView } from './feed-view.js';
import { atomLinks, buildXml } from './xml.js';

function item(view: FeedEntryView, explicit: boolean) {
  const { entry } = view;
  return {
    title: entry.title,
    link: view.url,
    guid: { '@_isPermaLink': 'false', '#text': view.id },
    pubDate: toRfc822(entry.published),
    // RSS <author> must be an e-mail address; a name alone goes in Dublin Core's creator.
    'dc:creator': entry.author,
    category: view.terms.map((term) => ({ '@_domain': term.scheme, '#text': term.name })),
    description: entry.summary,
    'content:encoded': view.contentHtml,
    ...media(entry),
    ...episode(entry, explicit),
  };
}

// Media RSS for apps, and an RSS enclosure only when the image's real length is known (length="0" is invalid).
function media(entry: FeedEntryView['entry']) {
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
    // RSS allows one enclosure: a podcast episode's audio takes it (see `episode`).
    ...(imageLength && imageType && !entry.audio ? { enclosure: { '@_url': image, '@_length': String(imageLength), '@_type': imageType } } : {}),
  };
}

// Item-level tags Apple Podcasts requires or recommends for an episode.
function episode(entry: FeedEntryView['entry'], explicit: boolean) {
  if (!entry.audio) return {};
  const { url, type, length, duration } = entry.audio;
  return {
    enclosure: { '@_url': url, '@_length': String(length), '@_type': type },
    'itunes:title': entry.title,
    'itunes:duration': String(duration),
    'itunes:explicit': String(explicit),
    'itunes:episodeType': 'full',
  };
}

// Channel-level tags of a podcast feed (Apple Podcasts: artwork, category, explicit, owner).
function show(feed: FeedView) {
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

/** RSS 2.0 with atom:link self, content:encoded and dc:creator. */
export function renderRss(feed: FeedView): string {
  return buildXml({
    rss: {
      '@_version': '2.0',
      '@_xmlns:atom': 'http://www.w3.org/2005/Atom',
      '@_xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
      '@_xmlns:dc': 'http://purl.org/dc/elements/1.1/',
      '@_xmlns:media': 'http://search.yahoo.com/mrss/',
      '@_xmlns:itunes': 'http://www.itunes.com/dtds/podcast-1.0.dtd',
      channel: {
        title: feed.title,
        link: feed.homeUrl,
        description: feed.description,
        language: feed.language,
        lastBuildDate: toRfc822(feed.updated),
        generator: feed.generator,
        docs: 'https://www.rssboard.org/rss-specification',
        ...show(feed),
        'atom:link': atomLinks(feed.selfUrls.rss, feed.pageLinks?.rss, 'application/rss+xml', feed.hubUrl),
        // An episode is as explicit as its show (PODCAST_EXPLICIT); outside a show there is no setting to follow.
        item: feed.entries.map((view) => item(view, feed.podcast?.explicit ?? false)),
      },
    },
  }, feed.stylesheetUrl);
}
