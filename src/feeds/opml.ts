import type { Config } from '../config.js';
import type { Edition } from './edition.js';
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

/** The feeds of one edition, with the categories and tags it has. */
export interface OpmlEdition {
  readonly edition: Edition;
  readonly categories: readonly TermCount[];
  readonly tags: readonly TermCount[];
}

function editionOutline({ edition, categories, tags }: OpmlEdition) {
  const { config } = edition;
  const group = (text: string, scopes: FeedScope[]) => ({
    '@_text': edition.text(text),
    outline: scopes.map((scope) => outline(config, scope)),
  });
  return {
    '@_text': `${config.siteTitle} (${edition.name})`,
    outline: [
      outline(config, { kind: 'site' }),
      group(
        'Рубрике',
        categories.map((term) => ({ kind: 'category', slug: term.slug, name: term.name })),
      ),
      group(
        'Ознаке',
        tags.map((term) => ({ kind: 'tag', slug: term.slug, name: term.name })),
      ),
    ],
  };
}

/** OPML 2.0 listing every feed (site, categories, tags, in every edition) once, for a reader to import at once. */
export function renderOpml(editions: readonly OpmlEdition[]): string {
  const [primary] = editions;
  return buildXml({
    opml: {
      '@_version': '2.0',
      head: { title: primary?.edition.config.siteTitle ?? '', docs: 'http://opml.org/spec2.opml' },
      body: { outline: editions.map(editionOutline) },
    },
  });
}
