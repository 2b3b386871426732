import type { Config } from '../../config.js';
import type { Entry } from '../../entries/entry.js';
import type { FeedScope } from '../../feeds/urls.js';
import { entryList } from './index-page.js';
import { alternateLinks, feedLinks, html, page } from './layout.js';

/** One category's latest entries, with its feeds. */
export function renderCategoryPage(config: Config, scope: Extract<FeedScope, { kind: 'category' }>, entries: readonly Entry[]): string {
  const title = `${config.siteTitle}: ${scope.name}`;
  return page({
    lang: config.siteLanguage,
    title,
    head: alternateLinks(config.baseUrl, [{ scope, title }]),
    body: html`<p><a href="${config.baseUrl}/">${config.siteTitle}</a></p><h1>${scope.name}</h1><p>Фидови:${feedLinks(config.baseUrl, scope)}</p>${entryList(config, entries)}`,
  });
}
