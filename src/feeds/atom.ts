import type { FeedEntryView, FeedView } from './feed-view.js';
import { atomLinks, buildXml } from './xml.js';

const text = (value: string) => ({ '@_type': 'text', '#text': value });

function entry(view: FeedEntryView) {
  const { entry: e } = view;
  return {
    id: view.id,
    title: text(e.title),
    link: [
      { '@_rel': 'alternate', '@_type': 'text/html', '@_href': view.url },
      ...(e.externalUrl ? [{ '@_rel': 'related', '@_href': e.externalUrl }] : []),
      ...(e.image
        ? [
            {
              '@_rel': 'enclosure',
              '@_href': e.image,
              ...(e.imageType ? { '@_type': e.imageType } : {}),
              ...(e.imageLength ? { '@_length': String(e.imageLength) } : {}),
            },
          ]
        : []),
      ...(e.audio
        ? [{ '@_rel': 'enclosure', '@_href': e.audio.url, '@_type': e.audio.type, '@_length': String(e.audio.length) }]
        : []),
    ],
    published: e.published,
    updated: e.updated,
    author: { name: e.author },
    // Readers show `term` (feedparser ignores `label`), so it carries the name, as RSS and JSON Feed do.
    category: view.terms.map((term) => ({ '@_term': term.name, '@_label': term.name, '@_scheme': term.scheme })),
    summary: text(e.summary),
    content: { '@_type': 'html', '#text': view.contentHtml },
  };
}

/** Atom 1.0 (RFC 4287): text constructs typed "text", content typed "html", categories named in term and label. */
export function renderAtom(feed: FeedView): string {
  return buildXml({
    feed: {
      '@_xmlns': 'http://www.w3.org/2005/Atom',
      '@_xml:lang': feed.language,
      id: feed.id,
      title: text(feed.title),
      subtitle: text(feed.description),
      updated: feed.updated,
      author: { name: feed.author },
      link: [
        ...atomLinks(feed.selfUrls.atom, feed.pageLinks?.atom, 'application/atom+xml', feed.hubUrl),
        { '@_rel': 'alternate', '@_type': 'text/html', '@_href': feed.homeUrl },
      ],
      generator: feed.generator,
      entry: feed.entries.map(entry),
    },
  });
}
