import type { Config } from '../config.js';
import type { CommitResult, Store, TermCount } from '../store/store.js';
import { buildFeedView, scopeFilter } from './build.js';
import { termName, type Edition } from './edition.js';
import type { FeedView } from './feed-view.js';
import { FORMATS, type FeedFormat } from './formats.js';
import { pageCount, type PageRequest } from './paging.js';
import { feedPath, type FeedScope, type TermKind } from './urls.js';
import { buildVariants, type RenderedFeed } from './variants.js';

export type FeedLookup = { found: true; feed: RenderedFeed } | { found: false };

const scopeKey = (scope: FeedScope) => (scope.kind === 'site' ? 'site' : `${scope.kind}:${scope.slug}`);

/** What one scope has rendered since its last change: page models (shared by the formats) and encoded feeds. */
interface ScopeCache {
  readonly views: Map<string, Promise<FeedView | undefined>>;
  readonly feeds: Map<string, Promise<FeedLookup>>;
}

function memo<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = map.get(key);
  if (!value) {
    value = make();
    map.set(key, value);
    value.catch(() => map.delete(key));
  }
  return value;
}

/**
 * Renders each (scope, format, page, limit) of one edition once per change to its scope and keeps the encoded
 * bytes. A commit drops only the scopes it touched (the site feed, the changed categories and tags) and
 * re-renders in the background the default pages of those that were being polled, so polls between changes are
 * lookups, never renders.
 */
export class FeedCache {
  private readonly byScope = new Map<string, ScopeCache>();
  /** Default pages that finished rendering, by request path: what the fast path serves. */
  private readonly ready = new Map<string, { scope: FeedScope; format: FeedFormat; feed: RenderedFeed }>();
  private termLists: Partial<Record<TermKind, Promise<TermCount[]>>> = {};

  constructor(
    private readonly store: Store,
    private readonly edition: Edition,
  ) {}

  private get config(): Config {
    return this.edition.config;
  }

  /**
   * Forgets what a committed pass changed and re-renders, in the background, the stale feeds that were being
   * polled. Feeds nobody asked for yet render on their first request.
   */
  invalidate(result: CommitResult): void {
    if (result.changedCategories.length === 0 && result.changedTags.length === 0) return;
    this.termLists = {};
    const stale = new Set([
      'site',
      ...result.changedCategories.map((slug) => `category:${slug}`),
      ...result.changedTags.map((slug) => `tag:${slug}`),
    ]);
    for (const key of stale) this.byScope.delete(key);
    const polled: Array<{ scope: FeedScope; format: FeedFormat }> = [];
    for (const [path, { scope, format }] of this.ready)
      if (stale.has(scopeKey(scope))) {
        this.ready.delete(path);
        polled.push({ scope, format });
      }
    void this.warm(polled);
  }

  /** A default-page feed that is already rendered, by exact request path; undefined means "ask get()". */
  readyFeed(path: string): RenderedFeed | undefined {
    return this.ready.get(path)?.feed;
  }

  /** The categories or tags that have entries. */
  terms(kind: TermKind): Promise<TermCount[]> {
    this.termLists[kind] ??= (kind === 'category' ? this.store.listCategories() : this.store.listTags()).then((terms) =>
      terms.map((term) => ({ ...term, name: termName(this.edition, term.spellings) })),
    );
    return this.termLists[kind];
  }

  /** The scope for a category or tag slug, or undefined when no entry has it. */
  async termScope(kind: TermKind, slug: string): Promise<FeedScope | undefined> {
    const term = (await this.terms(kind)).find((candidate) => candidate.slug === slug);
    return term && { kind, slug: term.slug, name: term.name };
  }

  /** The rendered feed page, or found: false when the page is past the last one. */
  get(scope: FeedScope, format: FeedFormat, paging: PageRequest): Promise<FeedLookup> {
    let cache = this.byScope.get(scopeKey(scope));
    if (!cache) {
      cache = { views: new Map(), feeds: new Map() };
      this.byScope.set(scopeKey(scope), cache);
    }
    const scopeCache = cache;
    return memo(scopeCache.feeds, `${format}:${paging.page}:${paging.limit}`, () => this.render(scope, format, paging, scopeCache));
  }

  private async render(scope: FeedScope, format: FeedFormat, paging: PageRequest, cache: ScopeCache): Promise<FeedLookup> {
    const view = await memo(cache.views, `${paging.page}:${paging.limit}`, () => this.loadView(scope, paging));
    if (!view) return { found: false };
    const spec = FORMATS[format];
    const feed = await buildVariants(spec.render(view), spec, new Date(view.updated), this.config.cacheMaxAge);
    const isDefaultPage = paging.page === 1 && paging.limit === this.config.feedLimit;
    // Only a rendering that no commit overtook may become the fast path's copy.
    if (isDefaultPage && this.byScope.get(scopeKey(scope)) === cache) this.ready.set(feedPath(scope, format), { scope, format, feed });
    return { found: true, feed };
  }

  private async loadView(scope: FeedScope, paging: PageRequest): Promise<FeedView | undefined> {
    const filter = scopeFilter(scope);
    const total = await this.store.countEntries(filter);
    // A category or tag whose last entry went away has no feed any more; the site feed always has a first page.
    if (scope.kind !== 'site' && total === 0) return undefined;
    if (paging.page > pageCount(total, paging.limit)) return undefined;
    const entries = await this.store.listEntries(filter, paging.limit, (paging.page - 1) * paging.limit);
    return buildFeedView(this.edition, scope, entries, paging, total);
  }

  private async warm(feeds: ReadonlyArray<{ scope: FeedScope; format: FeedFormat }>): Promise<void> {
    const defaultPage = { page: 1, limit: this.config.feedLimit };
    // All at once: compression runs on the thread pool, so the feeds of one change come back together.
    await Promise.all(
      feeds.map(({ scope, format }) => this.get(scope, format, defaultPage).catch(() => undefined)),
    );
  }
}
