import type { Config } from '../../config.js';
import type { Edition } from '../../feeds/edition.js';
import type { Entry } from '../../entries/entry.js';
import { scopeTitle } from '../../feeds/build.js';
import { articleUrl, termUrl, type FeedScope, type TermKind } from '../../feeds/urls.js';
import type { TermCount } from '../../store/store.js';
import { alternateLinks, feedLinks, html, page, type Html } from './layout.js';

export function entryList(config: Config, entries: readonly Entry[]): Html {
  return html`<ul>${entries.map(
    (entry) => html`<li><a href="${articleUrl(config.baseUrl, entry.slug)}">${entry.title}</a> <time datetime="${entry.published}">${entry.published.slice(0, 10)}</time></li>`,
  )}</ul>`;
}

function termList(config: Config, kind: TermKind, terms: readonly TermCount[]): Html {
  return html`<ul>${terms.map((term) => {
    const scope: FeedScope = { kind, slug: term.slug, name: term.name };
    return html`<li><a href="${termUrl(config.baseUrl, kind, term.slug)}">${kind === 'tag' ? `#${term.name}` : term.name}</a> (${term.count}):${feedLinks(config.baseUrl, scope)}</li>`;
  })}</ul>`;
}

/**
 * The home page of an edition: every feed (site, categories, tags) and an OPML file of them all, with
 * autodiscovery of its site and category feeds and of the other editions' site feeds, and the latest entries.
 */
export function renderIndexPage(
  edition: Edition,
  allEditions: readonly Edition[],
  terms: { readonly categories: readonly TermCount[]; readonly tags: readonly TermCount[] },
  latest: readonly Entry[],
): string {
  const { config } = edition;
  const site: FeedScope = { kind: 'site' };
  const categoryScopes = terms.categories.map((category): FeedScope => ({ kind: 'category', slug: category.slug, name: category.name }));
  const others = allEditions.filter((other) => other !== edition);
  return page({
    lang: config.siteLanguage,
    title: config.siteTitle,
    head: [
      ...alternateLinks(config.baseUrl, [site, ...categoryScopes].map((scope) => ({ scope, title: scopeTitle(config.siteTitle, scope) }))),
      ...others.flatMap((other) => alternateLinks(other.config.baseUrl, [{ scope: site, title: `${other.config.siteTitle} (${other.name})` }])),
    ],
    body: html`<p>${others.map((other) => html`<a href="${other.config.baseUrl}/" hreflang="${other.config.siteLanguage}">${other.name}</a>`)}</p>
<h1>${config.siteTitle}</h1><p>${config.siteDescription}</p>
<h2>Фидови</h2><p>Све вести:${feedLinks(config.baseUrl, site)}</p>
<p><a href="${config.baseUrl}/opml.xml">Сви фидови у OPML датотеци</a> (за увоз у читач).</p>
<h3>Рубрике</h3>${termList(config, 'category', terms.categories)}
<h3>Ознаке</h3>${termList(config, 'tag', terms.tags)}
<h2>Најновије</h2>${entryList(config, latest)}`,
  });
}
