import type { Entry } from '../../entries/entry.js';
import { renderContentHtml } from '../../entries/content-html.js';
import type { Edition } from '../../feeds/edition.js';
import { termUrl } from '../../feeds/urls.js';
import { alternateLinks, html, Html, page } from './layout.js';

/** A readable page for one entry (already in the edition's script): the page every feed item links to. */
export function renderArticlePage(edition: Edition, entry: Entry): string {
  const { config } = edition;
  return page({
    lang: entry.language,
    title: `${entry.title} | ${config.siteTitle}`,
    head: alternateLinks(config.baseUrl, [{ scope: { kind: 'site' }, title: config.siteTitle }]),
    body: html`<p><a href="${config.baseUrl}/">${config.siteTitle}</a> › <a href="${termUrl(config.baseUrl, 'category', entry.category.slug)}">${entry.category.name}</a></p>
<article><h1>${entry.title}</h1><p><strong>${entry.summary}</strong></p>
<p>${entry.author}, <time datetime="${entry.published}">${entry.published.slice(0, 10)}</time></p>
${new Html(renderContentHtml(entry, edition.text('Фото')))}
${entry.tags.length > 0 ? html`<p>${entry.tags.map((tag) => html`<a href="${termUrl(config.baseUrl, 'tag', tag.slug)}">#${tag.name}</a> `)}</p>` : undefined}</article>`,
  });
}
