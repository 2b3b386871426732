import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { CategoryCount, Store } from '../store/store.js';
import { loadFeedView } from './build.js';
import { FORMATS, type FeedFormat } from './formats.js';
import type { FeedScope } from './urls.js';

/** A feed rendered once: the bytes and the validators HTTP needs. */
export interface RenderedFeed {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: Date;
}

function scopeKey(scope: FeedScope): string {
  return scope.kind === 'site' ? 'site' : `category/${scope.slug}`;
}

/** Renders each (scope, format) once per store version; polls between changes are map lookups. */
export class FeedCache {
  private version = -1;
  private readonly rendered = new Map<string, Promise<RenderedFeed>>();
  private categoryList: Promise<CategoryCount[]> | undefined;

  constructor(
    private readonly store: Store,
    private readonly config: Config,
  ) {}

  /** Drops every rendering made before `version` (called when a pass commits). */
  invalidate(version: number): void {
    if (version === this.version) return;
    this.version = version;
    this.rendered.clear();
    this.categoryList = undefined;
  }

  /** The categories that have entries, as of the current version. */
  categories(): Promise<CategoryCount[]> {
    this.categoryList ??= this.store.listCategories();
    return this.categoryList;
  }

  /** The scope for a category slug, or undefined when no entry has that category. */
  async categoryScope(slug: string): Promise<FeedScope | undefined> {
    const category = (await this.categories()).find((candidate) => candidate.slug === slug);
    return category && { kind: 'category', slug: category.slug, name: category.name };
  }

  get(scope: FeedScope, format: FeedFormat): Promise<RenderedFeed> {
    const key = `${scopeKey(scope)}:${format}`;
    let feed = this.rendered.get(key);
    if (!feed) {
      feed = this.render(scope, format);
      this.rendered.set(key, feed);
      feed.catch(() => this.rendered.delete(key));
    }
    return feed;
  }

  private async render(scope: FeedScope, format: FeedFormat): Promise<RenderedFeed> {
    const view = await loadFeedView(this.store, this.config, scope, this.config.feedLimit);
    const body = Buffer.from(FORMATS[format].render(view), 'utf8');
    return {
      body,
      contentType: FORMATS[format].contentType,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`,
      lastModified: new Date(view.updated),
    };
  }
}
