import type { Config } from '../config.js';
import { entryInEdition, type Edition } from './edition.js';
import { renderContentHtml } from '../entries/content-html.js';
import type { Entry } from '../entries/entry.js';
import type { EntryFilter } from '../store/store.js';
import type { FeedEntryView, FeedView, PageLinks } from './feed-view.js';
import { FEED_FORMATS, type FeedFormat } from './formats.js';
import { pageCount, pagingQuery, type PageRequest } from './paging.js';
import { articleUrl, entryTagUri, feedTagUri, feedUrl, homeUrl, TERM_FOLDERS, type FeedScope } from './urls.js';

const GENERATOR = 'feed-publisher';
const EPOCH = '1970-01-01T00:00:00Z';

export function scopeFilter(scope: FeedScope): EntryFilter {
  if (scope.kind === 'site') return {};
  return scope.kind === 'category' ? { category: scope.slug } : { tag: scope.slug };
}

/** "Вести", "Вести: Русија" or "Вести: #метро". */
export function scopeTitle(siteTitle: string, scope: FeedScope): string {
  if (scope.kind === 'site') return siteTitle;
  return `${siteTitle}: ${scope.kind === 'tag' ? '#' : ''}${scope.name}`;
}

function entryView(edition: Edition, entry: Entry): FeedEntryView {
  const { config } = edition;
  return {
    entry,
    contentHtml: renderContentHtml(entry, edition.text('Фото')),
    id: entryTagUri(config.tagAuthority, entry.key),
    url: articleUrl(config.baseUrl, entry.slug),
    terms: [
      { ...entry.category, scheme: `${config.baseUrl}/${TERM_FOLDERS.category}/` },
      ...entry.tags.map((tag) => ({ ...tag, scheme: `${config.baseUrl}/${TERM_FOLDERS.tag}/` })),
    ],
  };
}

function perFormat<T>(make: (format: FeedFormat) => T): Record<FeedFormat, T> {
  return Object.fromEntries(FEED_FORMATS.map((format) => [format, make(format)])) as Record<FeedFormat, T>;
}

function pageLinks(config: Config, scope: FeedScope, paging: PageRequest, last: number, format: FeedFormat): PageLinks {
  const url = (page: number) =>
    feedUrl(config.baseUrl, scope, format, pagingQuery({ page, limit: paging.limit }, config.feedLimit));
  return {
    first: url(1),
    ...(paging.page > 1 ? { previous: url(paging.page - 1) } : {}),
    ...(paging.page < last ? { next: url(paging.page + 1) } : {}),
    last: url(last),
  };
}

/** Pure: the model of one feed page, from its entries (newest first) and the scope's total entry count. */
export function buildFeedView(
  edition: Edition,
  scope: FeedScope,
  entries: readonly Entry[],
  paging: PageRequest = { page: 1, limit: edition.config.feedLimit },
  total: number = entries.length,
): FeedView {
  const { config } = edition;
  const last = pageCount(total, paging.limit);
  const query = pagingQuery(paging, config.feedLimit);
  const updated = entries.reduce((newest, entry) => (entry.updated > newest ? entry.updated : newest), EPOCH);
  return {
    id: feedTagUri(config.tagAuthority, scope, edition.prefix),
    title: scopeTitle(config.siteTitle, scope),
    description: scope.kind === 'site' ? config.siteDescription : `${config.siteDescription}: ${scope.name}`,
    language: config.siteLanguage,
    author: config.siteAuthor,
    homeUrl: homeUrl(config.baseUrl, scope),
    selfUrls: perFormat((format) => feedUrl(config.baseUrl, scope, format, query)),
    ...(last > 1 ? { pageLinks: perFormat((format) => pageLinks(config, scope, paging, last, format)) } : {}),
    updated,
    entries: entries.map((entry) => entryView(edition, entryInEdition(edition, entry))),
    generator: GENERATOR,
    ttlMinutes: Math.max(1, Math.ceil(config.cacheMaxAge / 60)),
    ...(config.webSubHub ? { hubUrl: config.webSubHub } : {}),
    ...(scope.kind === 'category' && config.podcast?.categories.includes(scope.slug)
      ? { podcast: config.podcast }
      : {}),
  };
}
