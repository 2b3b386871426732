import type { Config } from '../config.js';
import type { Entry } from '../entries/entry.js';
import type { EntryFilter, Store } from '../store/store.js';
import type { FeedEntryView, FeedView } from './feed-view.js';
import { FEED_FORMATS, type FeedFormat } from './formats.js';
import { articleUrl, entryTagUri, feedTagUri, feedUrl, homeUrl, type FeedScope } from './urls.js';

const GENERATOR = 'feed-publisher';
const EPOCH = '1970-01-01T00:00:00Z';

export function scopeFilter(scope: FeedScope): EntryFilter {
  return scope.kind === 'category' ? { category: scope.slug } : {};
}

function entryView(config: Config, entry: Entry): FeedEntryView {
  return {
    entry,
    id: entryTagUri(config.tagAuthority, entry.key),
    url: articleUrl(config.baseUrl, entry.slug),
    terms: [
      { ...entry.category, scheme: `${config.baseUrl}/categories/` },
      ...entry.tags.map((tag) => ({ ...tag, scheme: `${config.baseUrl}/tags/` })),
    ],
  };
}

/** Pure: the feed document model for `entries` (already filtered and ordered newest first). */
export function buildFeedView(config: Config, scope: FeedScope, entries: readonly Entry[]): FeedView {
  const selfUrls = Object.fromEntries(FEED_FORMATS.map((format) => [format, feedUrl(config.baseUrl, scope, format)]));
  const updated = entries.reduce((newest, entry) => (entry.updated > newest ? entry.updated : newest), EPOCH);
  return {
    id: feedTagUri(config.tagAuthority, scope),
    title: scope.kind === 'site' ? config.siteTitle : `${config.siteTitle}: ${scope.name}`,
    description: scope.kind === 'site' ? config.siteDescription : `${config.siteDescription}: ${scope.name}`,
    language: config.siteLanguage,
    author: config.siteAuthor,
    homeUrl: homeUrl(config.baseUrl, scope),
    selfUrls: selfUrls as Record<FeedFormat, string>,
    updated,
    entries: entries.map((entry) => entryView(config, entry)),
    generator: GENERATOR,
  };
}

/** Reads the newest `limit` entries of a scope from the store and builds its feed model. */
export async function loadFeedView(store: Store, config: Config, scope: FeedScope, limit: number): Promise<FeedView> {
  const entries = await store.listEntries(scopeFilter(scope), limit, 0);
  return buildFeedView(config, scope, entries);
}
