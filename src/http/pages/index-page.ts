import type { Config } from '../../config.js';
import type { Entry } from '../../entries/entry.js';
import { articleUrl, categoryUrl, type FeedScope } from '../../feeds/urls.js';
import type { CategoryCount } from '../../store/store.js';
import { alternateLinks, feedLinks, html, page, type Html } from './layout.js';

export function entryList(config: Config, entries: readonly Entry[]): Html {
  return html`<ul>${entries.map(
    (entry) => html`<li><a href="${articleUrl(config.baseUrl, entry.slug)}">${entry.title}</a> <time datetime="${entry.published}">${entry.published.slice(0, 10)}</time></li>`,
  )}</ul>`;
}

/** The home page: every feed (site and per category), with autodiscovery, and the latest entries. */
export function renderIndexPage(config: Config, categories: readonly CategoryCount[], latest: readonly Entry[]): string {
  const site: FeedScope = { kind: 'site' };
  const categoryScopes = categories.map((category) => ({
    scope: { kind: 'category', slug: category.slug, name: category.name } as const,
    category,
  }));
  return page({
    lang: config.siteLanguage,
    title: config.siteTitle,
    head: alternateLinks(config.baseUrl, [
      { scope: site, title: config.siteTitle },
      ...categoryScopes.map(({ scope }) => ({ scope, title: `${config.siteTitle}: ${scope.name}` })),
    ]),
    body: html`<h1>${config.siteTitle}</h1><p>${config.siteDescription}</p>
<h2>Фидови</h2><p>Све вести:${feedLinks(config.baseUrl, site)}</p>
<ul>${categoryScopes.map(
      ({ scope, category }) =>
        html`<li><a href="${categoryUrl(config.baseUrl, category.slug)}">${category.name}</a> (${category.count}):${feedLinks(config.baseUrl, scope)}</li>`,
    )}</ul>
<h2>Најновије</h2>${entryList(config, latest)}`,
  });
}
