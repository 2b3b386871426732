import type { Edition } from '../../feeds/edition.js';
import type { FeedView } from '../../feeds/feed-view.js';
import { FEED_FORMATS, FORMATS, type FeedFormat, type FeedPresentation } from '../../feeds/formats.js';
import { pageSecurityHeaders } from '../page-security.js';
import { html, Html, page } from './layout.js';

const STYLE = new Html(
  '.hint{background:#fff6d6;border:1px solid #e5c96b;padding:.75rem 1rem;border-radius:.5rem}' +
    // One click selects the whole address, ready to copy, without a script.
    '.feed-url{display:block;user-select:all;word-break:break-all;background:#fff;padding:.25rem .5rem;margin:.5rem 0}' +
    'li{margin:.75rem 0}time{color:#666;font-size:.9em}',
);

/** One readable form for every format's dates (feeds publish UTC only): "25. 11. 2026. 08:00 UTC". */
function readableDate(rfc3339: string): string {
  const date = new Date(rfc3339);
  const time = date.toISOString().slice(11, 16);
  return `${date.getUTCDate()}. ${date.getUTCMonth() + 1}. ${date.getUTCFullYear()}. ${time} UTC`;
}

/** The feed's own URL in every format, the previewed one first: what a reader discovers from this page. */
function alternates(feed: FeedView, format: FeedFormat): Html[] {
  return [format, ...FEED_FORMATS.filter((other) => other !== format)].map(
    (each) =>
      html`<link rel="alternate" type="${FORMATS[each].contentType.split(';', 1)[0]}" title="${feed.title} (${FORMATS[each].label})" href="${feed.selfUrls[each]}">`,
  );
}

function pageNavigation(edition: Edition, feed: FeedView, format: FeedFormat): Html | undefined {
  const links = feed.pageLinks?.[format];
  if (!links) return undefined;
  const { text } = edition;
  const step = (href: string | undefined, label: string, rel: string) =>
    href === undefined ? undefined : html` <a rel="${rel}" href="${href}">${text(label)}</a>`;
  return html`<nav><p>${[
    step(links.first, 'Прва', 'first'),
    step(links.previous, 'Претходна', 'prev'),
    step(links.next, 'Следећа', 'next'),
    step(links.last, 'Последња', 'last'),
  ].filter((link) => link !== undefined)}</p></nav>`;
}

/** Pure: the HTML page a person opening a feed URL sees instead of the feed's XML or JSON. */
export function renderFeedPreview(edition: Edition, feed: FeedView, format: FeedFormat): string {
  const { text } = edition;
  const others = FEED_FORMATS.filter((other) => other !== format);
  return page({
    lang: feed.language,
    title: feed.title,
    head: [...alternates(feed, format), html`<style>${STYLE}</style>`],
    body: html`<h1>${feed.title}</h1><p>${feed.description}</p>
<section class="hint"><p>This is a news feed. Copy this URL into your feed reader to subscribe: (${text('Ово је фид вести: копирајте адресу у свој читач.')})</p>
<code class="feed-url">${feed.selfUrls[format]}</code>
<p>${text('Исти фид у другим форматима:')}${others.map((other) => html` <a href="${feed.selfUrls[other]}">${FORMATS[other].label}</a>`)} · <a href="${feed.homeUrl}">${text('Страница сајта')}</a></p></section>
<ul>${feed.entries.map(
      ({ entry, url }) =>
        html`<li><a href="${url}">${entry.title}</a><br><time datetime="${entry.published}">${readableDate(entry.published)}</time><div>${entry.summary}</div></li>`,
    )}</ul>${pageNavigation(edition, feed, format)}`,
  });
}

/** The HTML preview of an edition's feeds, with the security headers of every other page of the site. */
export function feedPreview(edition: Edition): FeedPresentation {
  return {
    name: 'preview',
    contentType: 'text/html; charset=utf-8',
    headers: pageSecurityHeaders(edition.config),
    render: (feed, format) => renderFeedPreview(edition, feed, format),
  };
}
