import type { Edition } from '../../feeds/edition.js';
import { pagingQuery, type PageRequest } from '../../feeds/paging.js';
import { TERM_FOLDERS, termUrl, type FeedScope, type TermKind } from '../../feeds/urls.js';
import type { TermCount } from '../../store/store.js';
import { feedLinks, html, page, type Html } from './layout.js';

/** Terms on one page of /categories/ or /tags/: a site may have ten thousand tags. */
export const TERMS_PER_PAGE = 100;

/** Heading of each kind of term, in the primary edition's words. */
export const TERM_HEADINGS: Readonly<Record<TermKind, string>> = { category: 'Рубрике', tag: 'Ознаке' };

/** Each category or tag with its entry count and its feeds. */
export function termList(edition: Edition, kind: TermKind, terms: readonly TermCount[]): Html {
  const { baseUrl } = edition.config;
  return html`<ul>${terms.map((term) => {
    const scope: FeedScope = { kind, slug: term.slug, name: term.name };
    return html`<li><a href="${termUrl(baseUrl, kind, term.slug)}">${kind === 'tag' ? `#${term.name}` : term.name}</a> (${term.count}):${feedLinks(baseUrl, scope)}</li>`;
  })}</ul>`;
}

/** URL of the list of every category or tag. */
export function termIndexUrl(baseUrl: string, kind: TermKind): string {
  return `${baseUrl}/${TERM_FOLDERS[kind]}/`;
}

/**
 * One page of every category or tag with its feeds: the page RSS `domain` and Atom `scheme` name as the
 * taxonomy, and the whole list the home page only starts.
 */
export function renderTermIndexPage(
  edition: Edition,
  kind: TermKind,
  terms: readonly TermCount[],
  paging: PageRequest,
  lastPage: number,
): string {
  const { config, text } = edition;
  const pageUrl = (number: number) =>
    `${termIndexUrl(config.baseUrl, kind)}${pagingQuery({ page: number, limit: paging.limit }, TERMS_PER_PAGE)}`;
  const heading = text(TERM_HEADINGS[kind]);
  return page({
    lang: config.siteLanguage,
    title: `${heading} | ${config.siteTitle}`,
    body: html`<p><a href="${config.baseUrl}/">${config.siteTitle}</a></p><h1>${heading}</h1>
<p>${text('Страна')} ${paging.page} / ${lastPage}</p>${termList(edition, kind, terms)}
<p>${paging.page > 1 ? html`<a href="${pageUrl(paging.page - 1)}" rel="prev">${text('Претходна страна')}</a> ` : undefined}${paging.page < lastPage ? html`<a href="${pageUrl(paging.page + 1)}" rel="next">${text('Следећа страна')}</a>` : undefined}</p>`,
  });
}
