import type { Config } from '../config.js';
import { filterScopeKey, type ScopeVersion, type Store, type TermCount } from '../store/store.js';
import { buildFeedView, scopeFilter } from './build.js';
import type { ByteLru, Retention } from './byte-lru.js';
import { cdnHeaders } from './cdn-keys.js';
import { termName, type Edition } from './edition.js';
import { FEED_CHOSEN_BY, FORMATS, type FeedFormat, type FeedPresentation } from './formats.js';
import { pageCount, type PageRequest } from './paging.js';
import type { ScopeVersions } from './scope-versions.js';
import { feedPath, type FeedScope, type TermKind } from './urls.js';
import { buildVariants, CONTENT_CODINGS, type RenderedFeed } from './variants.js';

export type FeedLookup = { found: true; feed: RenderedFeed } | { found: false };

/** The store's name of a feed scope ('site', 'category:<slug>', 'tag:<slug>'). */
export const scopeKey = (scope: FeedScope) => filterScopeKey(scopeFilter(scope));

// Headers, object overhead: small next to a feed, but a flood of tiny pages must still count.
const ENTRY_OVERHEAD_BYTES = 2048;

/** The bytes a rendered feed holds: its bodies in every coding. */
export function renderedBytes(feed: RenderedFeed): number {
  return CONTENT_CODINGS.reduce((sum, coding) => sum + feed.variants[coding].body.length, ENTRY_OVERHEAD_BYTES);
}

/**
 * RFC 8288 links of a feed response: its own URL, and the WebSub hub when there is one, so a hub or a client finds
 * them without parsing the body (a JSON Feed has no link elements).
 */
export function linkHeader(self: string, hub: string | undefined): Record<string, string> {
  return { Link: [`<${self}>; rel="self"`, ...(hub ? [`<${hub}>; rel="hub"`] : [])].join(', ') };
}

/** Runs `make` once for all concurrent callers of one key, and forgets it once settled (the LRU keeps results). */
function once<T>(inflight: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let pending = inflight.get(key);
  if (!pending) {
    pending = make().finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  return pending;
}

/** What every edition's cache shares: one byte bound for all rendered feeds, one view of the scope versions. */
export interface SharedRenderState {
  readonly rendered: ByteLru<RenderedFeed>;
  readonly scopes: ScopeVersions;
}

/**
 * Renders each (scope, format, page, limit) of one edition once per version of its scope and keeps the encoded
 * bytes in the shared bounded cache, keyed by (edition, scope, scope version, format, page, limit). A commit,
 * by this process or another, moves the versions of the scopes it changed: their old renderings are no longer
 * reachable, and the default pages that were being polled are re-rendered in the background, so polls between
 * changes are lookups, never renders.
 */
export class FeedCache {
  private readonly rendering = new Map<string, Promise<FeedLookup>>();
  private readonly renderingPages = new Map<string, Promise<RenderedFeed>>();
  /** Request paths of the default pages rendered so far, and what each shows: the fast path's index. */
  private readonly defaultPages = new Map<string, { scope: FeedScope; format: FeedFormat }>();
  private termLists: Partial<Record<TermKind, Promise<TermCount[]>>> = {};

  constructor(
    private readonly store: Store,
    private readonly edition: Edition,
    private readonly shared: SharedRenderState,
  ) {}

  private get config(): Config {
    return this.edition.config;
  }

  private get defaultPaging(): PageRequest {
    return { page: 1, limit: this.config.feedLimit };
  }

  /** A presentation of a feed page (its browser preview) is one more component of the feed's key. */
  private key(
    scope: FeedScope,
    version: number,
    format: FeedFormat,
    paging: PageRequest,
    presentation?: FeedPresentation,
  ): string {
    const feedKey = `${this.edition.prefix}|${scopeKey(scope)}|${version}|${format}|${paging.page}|${paging.limit}`;
    return presentation ? `${feedKey}|${presentation.name}` : feedKey;
  }

  /**
   * Hears which scopes moved (each with the version it had): forgets the term lists, drops the old default pages
   * and re-renders, in the background, those that were still cached, that is, being polled.
   */
  scopesMoved(moved: ReadonlyMap<string, ScopeVersion>, changed: readonly string[] | 'all'): void {
    // Every commit may add, rename or empty a term, also one whose scope this process never loaded.
    this.refreshTerms('category', changed);
    this.refreshTerms('tag', changed);
    const polled: Array<{ scope: FeedScope; format: FeedFormat }> = [];
    for (const page of this.defaultPages.values()) {
      const before = moved.get(scopeKey(page.scope));
      if (!before) continue;
      const oldKey = this.key(page.scope, before.version, page.format, this.defaultPaging);
      if (this.shared.rendered.has(oldKey)) polled.push(page);
      this.shared.rendered.delete(oldKey);
    }
    void this.warm(polled);
  }

  /** A default-page feed (or its presentation) already rendered at its scope's current version, by request path. */
  readyFeed(path: string, presentation?: FeedPresentation): RenderedFeed | undefined {
    const page = this.defaultPages.get(path);
    const at = page && this.shared.scopes.current(scopeKey(page.scope));
    return (
      at && this.shared.rendered.get(this.key(page.scope, at.version, page.format, this.defaultPaging, presentation))
    );
  }

  /** The categories or tags that have entries. */
  terms(kind: TermKind): Promise<TermCount[]> {
    this.termLists[kind] ??= this.keptUnlessFailed(kind, this.readTerms(kind));
    return this.termLists[kind];
  }

  /** Keeps a term list being read as the kind's list; should the read fail, the next request reads it again. */
  private keptUnlessFailed(kind: TermKind, list: Promise<TermCount[]>): Promise<TermCount[]> {
    list.catch(() => {
      if (this.termLists[kind] === list) this.termLists[kind] = undefined;
    });
    return list;
  }

  private async readTerms(kind: TermKind, slugs?: readonly string[]): Promise<TermCount[]> {
    const terms = await (kind === 'category' ? this.store.listCategories(slugs) : this.store.listTags(slugs));
    return terms.map((term) => ({ ...term, name: termName(this.edition, term.spellings) }));
  }

  /**
   * Re-reads just the terms of a kind that a commit changed, if the list is loaded: at a million entries the whole
   * list is a long query, and one edit touches a category and a few tags.
   */
  private refreshTerms(kind: TermKind, changed: readonly string[] | 'all'): void {
    const loaded = this.termLists[kind];
    if (!loaded) return;
    if (changed === 'all') {
      this.termLists[kind] = undefined;
      return;
    }
    const prefix = filterScopeKey({ [kind]: '' });
    const slugs = changed.filter((scope) => scope.startsWith(prefix)).map((scope) => scope.slice(prefix.length));
    if (slugs.length === 0) return;
    const refreshed = Promise.all([loaded, this.readTerms(kind, slugs)]).then(([before, now]) => {
      const replaced = new Set(slugs);
      return [...before.filter((term) => !replaced.has(term.slug)), ...now].sort((a, b) =>
        a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0,
      );
    });
    this.termLists[kind] = this.keptUnlessFailed(kind, refreshed);
  }

  /** The scope for a category or tag slug, or undefined when no entry has it. */
  async termScope(kind: TermKind, slug: string): Promise<FeedScope | undefined> {
    const term = (await this.terms(kind)).find((candidate) => candidate.slug === slug);
    return term && { kind, slug: term.slug, name: term.name };
  }

  /** The rendered feed page (or its presentation), or found: false when the page is past the last one. */
  async get(
    scope: FeedScope,
    format: FeedFormat,
    paging: PageRequest,
    presentation?: FeedPresentation,
  ): Promise<FeedLookup> {
    const at = await this.shared.scopes.load(scopeKey(scope));
    const key = this.key(scope, at.version, format, paging, presentation);
    const cached = this.shared.rendered.get(key);
    if (cached) return { found: true, feed: cached };
    return once(this.rendering, key, () => this.render(scope, format, paging, key, presentation));
  }

  /**
   * An HTML page (or another document such as OPML) rendered once per store version and kept, with its codings
   * and validators, in the same bounded cache as the feeds. `name` identifies the page and its query in canonical
   * form; `render` throws (an HTTP 404, say) to answer without caching anything.
   */
  async page(
    name: string,
    contentType: string,
    render: () => Promise<string>,
    retention: Retention = 'ordinary',
  ): Promise<RenderedFeed> {
    const at = await this.shared.scopes.load(scopeKey({ kind: 'site' }));
    const key = `${this.edition.prefix}|page|${at.version}|${name}`;
    const cached = this.shared.rendered.get(key);
    if (cached) return cached;
    return once(this.renderingPages, key, async () => {
      const page = await buildVariants(
        await render(),
        { contentType },
        new Date(at.changedAt * 1000),
        this.config.cacheMaxAge,
        // Every page shows the site's entries (or its terms): a commit that changes any purges them with the site.
        cdnHeaders(this.config.cdn, this.edition, { kind: 'site' }, 'html'),
      );
      this.shared.rendered.set(key, page, renderedBytes(page), retention);
      return page;
    });
  }

  private async render(
    scope: FeedScope,
    format: FeedFormat,
    paging: PageRequest,
    key: string,
    presentation?: FeedPresentation,
  ): Promise<FeedLookup> {
    const page = await this.store.feedPage(scopeFilter(scope), paging.limit, (paging.page - 1) * paging.limit);
    // A category or tag whose last entry went away has no feed any more; the site feed always has a first page.
    if (scope.kind !== 'site' && page.total === 0) return { found: false };
    if (paging.page > pageCount(page.total, paging.limit)) return { found: false };
    const view = buildFeedView(this.edition, scope, page.entries, paging, page.total);
    // Last-Modified is the scope's last commit, which only moves forward, not the newest entry's own date.
    const lastModified = new Date(page.scope.changedAt * 1000);
    const [document, type] = presentation
      ? [presentation.render(view, format), presentation]
      : [FORMATS[format].render(view), FORMATS[format]];
    const feed = await buildVariants(
      document,
      { contentType: type.contentType, varyAlso: FEED_CHOSEN_BY, headers: presentation?.headers },
      lastModified,
      this.config.cacheMaxAge,
      {
        ...linkHeader(view.selfUrls[format], view.hubUrl),
        ...cdnHeaders(this.config.cdn, this.edition, scope, format),
      },
    );
    const isDefaultPage = paging.page === 1 && paging.limit === this.config.feedLimit;
    // Pollers keep asking for a default page; a person looks at its preview now and then, as at any other page.
    const retention = isDefaultPage && !presentation ? 'polled' : 'ordinary';
    this.shared.rendered.set(key, feed, renderedBytes(feed), retention);
    if (isDefaultPage) this.defaultPages.set(feedPath(scope, format), { scope, format });
    return { found: true, feed };
  }

  private async warm(feeds: ReadonlyArray<{ scope: FeedScope; format: FeedFormat }>): Promise<void> {
    // All at once: compression runs on the thread pool, so the feeds of one change come back together.
    await Promise.all(
      feeds
        .map(async ({ scope, format }) => {
          // A term may have been renamed (its title changes) or lost its last entry (its feed is gone).
          const current = scope.kind === 'site' ? scope : await this.termScope(scope.kind, scope.slug);
          if (!current) return void this.defaultPages.delete(feedPath(scope, format));
          await this.get(current, format, this.defaultPaging);
        })
        .map((warming) => warming.catch(() => undefined)),
    );
  }
}
