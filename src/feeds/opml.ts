import type { Config } from '../config.js';
import type { TermCount } from '../store/store.js';
import { scopeTitle } from './build.js';
import { feedUrl, homeUrl, type FeedScope } from './urls.js';
import { buildXml } from './xml.js';

function outline(config: Config, scope: FeedScope) {
  return {
    '@_type': 'rss',
    '@_text': scopeTitle(config.siteTitle, scope),
    '@_title': scopeTitle(config.siteTitle, scope),
    '@_xmlUrl': feedUrl(config.baseUrl, scope, 'rss'),
    '@_htmlUrl': homeUrl(config.baseUrl, scope),
    '@_language': config.siteLanguage,
  };
}

/** OPML 2.0 listing every feed (site, categories, tags) once, so a reader imports them in one go. */
export function renderOpml(config: Config, categories: readonly TermCount[], tags: readonly TermCount[]): string {
  const group = (text: string, scopes: FeedScope[]) => ({ '@_text': text, outline: scopes.map((scope) => outline(config, scope)) });
  return buildXml({
    opml: {
      '@_version': '2.0',
      head: { title: config.siteTitle, docs: 'http://opml.org/spec2.opml' },
      body: {
        outline: [
          outline(config, { kind: 'site' }),
          group('Рубрике', categories.map((term) => ({ kind: 'category', slug: term.slug, name: term.name }))),
          group('Ознаке', tags.map((term) => ({ kind: 'tag', slug: term.slug, name: term.name }))),
        ],
      },
    },
  });
}
