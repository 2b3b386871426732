import { toRfc822 } from '../articles/dates.js';
import type { FeedEntryView, FeedView } from './feed-view.js';
import { ATOM, atomChannel } from './rss/atom.js';
import { CONTENT, contentItem } from './rss/content.js';
import { DUBLIN_CORE, dublinCoreItem } from './rss/dublin-core.js';
import { ITUNES, itunesChannel, itunesItem } from './rss/itunes.js';
import { MEDIA, mediaItem } from './rss/media.js';
import type { RssNamespace } from './rss/namespace.js';
import { buildXml } from './xml.js';

// In the order they are declared on <rss>.
const NAMESPACES: readonly RssNamespace[] = [ATOM, CONTENT, DUBLIN_CORE, MEDIA, ITUNES];

function item(view: FeedEntryView, explicit: boolean) {
  const { entry } = view;
  return {
    title: entry.title,
    link: view.url,
    guid: { '@_isPermaLink': 'false', '#text': view.id },
    pubDate: toRfc822(entry.published),
    ...dublinCoreItem(entry),
    category: view.terms.map((term) => ({ '@_domain': term.scheme, '#text': term.name })),
    description: entry.summary,
    ...contentItem(view),
    ...mediaItem(entry),
    ...enclosure(entry),
    ...itunesItem(entry, explicit),
  };
}

// RSS allows one enclosure: a podcast episode's audio takes it; otherwise the image, only when its real length is
// known (length="0" is invalid).
function enclosure(entry: FeedEntryView['entry']) {
  if (entry.audio) {
    const { url, type, length } = entry.audio;
    return { enclosure: { '@_url': url, '@_length': String(length), '@_type': type } };
  }
  const { image, imageType, imageLength } = entry;
  if (!image || !imageLength || !imageType) return {};
  return { enclosure: { '@_url': image, '@_length': String(imageLength), '@_type': imageType } };
}

/** Prefixes of every element name in a document tree (attributes and text are not elements). */
function elementPrefixes(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const child of node) elementPrefixes(child, found);
  else if (node !== null && typeof node === 'object')
    for (const [key, child] of Object.entries(node)) {
      if (key.startsWith('@_') || key === '#text') continue;
      const colon = key.indexOf(':');
      if (colon > 0) found.add(key.slice(0, colon));
      elementPrefixes(child, found);
    }
  return found;
}

/** RSS 2.0 with the namespaces of src/feeds/rss/, each declared only when the document uses it. */
export function renderRss(feed: FeedView): string {
  const channel = {
    title: feed.title,
    link: feed.homeUrl,
    description: feed.description,
    language: feed.language,
    lastBuildDate: toRfc822(feed.updated),
    generator: feed.generator,
    docs: 'https://www.rssboard.org/rss-specification',
    // Readers that schedule by it (and not by Cache-Control) poll no more often than the feed can change.
    ttl: String(feed.ttlMinutes),
    ...itunesChannel(feed),
    ...atomChannel(feed),
    item: feed.entries.map((view) => item(view, feed.podcast?.explicit ?? false)),
  };
  const used = elementPrefixes(channel);
  const declarations = Object.fromEntries(
    NAMESPACES.filter((namespace) => used.has(namespace.prefix)).map((namespace) => [
      `@_xmlns:${namespace.prefix}`,
      namespace.uri,
    ]),
  );
  return buildXml({ rss: { '@_version': '2.0', ...declarations, channel } });
}
