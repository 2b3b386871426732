import type { Edition } from '../../feeds/edition.js';
import type { Entry } from '../../entries/entry.js';
import { scopeTitle } from '../../feeds/build.js';
import type { FeedScope, TermKind } from '../../feeds/urls.js';
import { entryList } from './index-page.js';
import { alternateLinks, feedLinks, html, page } from './layout.js';

/** One category's or tag's latest entries, with its feeds. */
export function renderTermPage(
  edition: Edition,
  scope: Extract<FeedScope, { kind: TermKind }>,
  entries: readonly Entry[],
): string {
  const { config } = edition;
  const title = scopeTitle(config.siteTitle, scope);
  return page({
    lang: config.siteLanguage,
    title,
    head: alternateLinks(config.baseUrl, [{ scope, title }]),
    body: html`<p><a href="${config.baseUrl}/">${config.siteTitle}</a></p><h1>${scope.kind === 'tag' ? `#${scope.name}` : scope.name}</h1><p>${edition.text('Фидови:')}${feedLinks(config.baseUrl, scope)}</p>${entryList(config, entries)}`,
  });
}
