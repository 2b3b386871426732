import type { FeedEntryView, FeedView } from './feed-view.js';

function attachments(entry: FeedEntryView['entry']) {
  const list = [
    ...(entry.image && entry.imageType
      ? [
          {
            url: entry.image,
            mime_type: entry.imageType,
            ...(entry.imageLength ? { size_in_bytes: entry.imageLength } : {}),
          },
        ]
      : []),
    ...(entry.audio
      ? [
          {
            url: entry.audio.url,
            mime_type: entry.audio.type,
            size_in_bytes: entry.audio.length,
            duration_in_seconds: entry.audio.duration,
          },
        ]
      : []),
  ];
  return list.length > 0 ? { attachments: list } : {};
}

function item(view: FeedEntryView) {
  const { entry } = view;
  return {
    id: view.id,
    url: view.url,
    ...(entry.externalUrl ? { external_url: entry.externalUrl } : {}),
    title: entry.title,
    summary: entry.summary,
    content_html: view.contentHtml,
    ...(entry.image ? { image: entry.image } : {}),
    ...attachments(entry),
    date_published: entry.published,
    date_modified: entry.updated,
    authors: [{ name: entry.author }],
    tags: view.terms.map((term) => term.name),
    language: entry.language,
  };
}

/** JSON Feed 1.1, serialised with JSON.stringify (feed 6 only writes version 1.0). */
export function renderJsonFeed(feed: FeedView): string {
  const document = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.selfUrls.json,
    ...(feed.pageLinks?.json.next ? { next_url: feed.pageLinks.json.next } : {}),
    description: feed.description,
    language: feed.language,
    authors: [{ name: feed.author }],
    ...(feed.hubUrl ? { hubs: [{ type: 'WebSub', url: feed.hubUrl }] } : {}),
    items: feed.entries.map(item),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
