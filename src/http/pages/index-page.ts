import type { Config } from '../../config.js';
import { siteUrl, type Edition } from '../../feeds/edition.js';
import type { Entry } from '../../entries/entry.js';
import { scopeTitle } from '../../feeds/build.js';
import { articleUrl, type FeedScope, type TermKind } from '../../feeds/urls.js';
import type { TermCount } from '../../store/store.js';
import { alternateLinks, feedLinks, html, page, type Html } from './layout.js';
import { TERM_HEADINGS, termIndexUrl, termList, TERMS_PER_PAGE } from './term-index-page.js';

export function entryList(config: Config, entries: readonly Entry[]): Html {
  return html`<ul>${entries.map(
    (entry) =>
      html`<li><a href="${articleUrl(config.baseUrl, entry.slug)}">${entry.title}</a> <time datetime="${entry.published}">${entry.published.slice(0, 10)}</time></li>`,
  )}</ul>`;
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
  const { config, text } = edition;
  const site: FeedScope = { kind: 'site' };
  const categoryScopes = terms.categories.map((category): FeedScope => ({
    kind: 'category',
    slug: category.slug,
    name: category.name,
  }));
  const others = allEditions.filter((other) => other !== edition);
  // The home page starts each list; /categories/ and /tags/ page through the rest.
  const termSection = (kind: TermKind, list: readonly TermCount[]) =>
    html`<h3><a href="${termIndexUrl(config.baseUrl, kind)}">${text(TERM_HEADINGS[kind])}</a></h3>${termList(edition, kind, list.slice(0, TERMS_PER_PAGE))}${
      list.length > TERMS_PER_PAGE
        ? html`<p><a href="${termIndexUrl(config.baseUrl, kind)}">${text('Сви')} (${list.length})</a></p>`
        : undefined
    }`;
  return page({
    lang: config.siteLanguage,
    title: config.siteTitle,
    head: [
      ...alternateLinks(
        config.baseUrl,
        [site, ...categoryScopes].map((scope) => ({ scope, title: scopeTitle(config.siteTitle, scope) })),
      ),
      ...others.flatMap((other) =>
        alternateLinks(other.config.baseUrl, [
          { scope: site, title: text(`${other.config.siteTitle} (${other.name})`) },
        ]),
      ),
    ],
    body: html`<p>${others.map((other) => html`<a href="${other.config.baseUrl}/" hreflang="${other.config.siteLanguage}">${text(other.name)}</a>`)}</p>
<h1>${config.siteTitle}</h1><p>${config.siteDescription}</p>
<h2>${text('Фидови')}</h2><p>${text('Све вести:')}${feedLinks(config.baseUrl, site)}</p>
<p><a href="${siteUrl(edition)}/opml.xml">${text('Сви фидови у OPML датотеци')}</a> ${text('(за увоз у читач).')}</p>
${termSection('category', terms.categories)}
${termSection('tag', terms.tags)}
<h2>${text('Најновије')}</h2>${entryList(config, latest)}`,
  });
}
