import type { CdnSettings } from '../config.js';
import type { CommitResult } from '../store/store.js';
import type { Edition } from './edition.js';
import type { FeedScope } from './urls.js';

// Slugs may hold any letter (percent-encoded in URLs); encoded the same way, a key never holds the space or comma
// that separates keys in the headers.
const termKey = (kind: string, slug: string) => `${kind}:${encodeURIComponent(slug)}`;

/** The key of a scope: what a commit that changed the scope purges. */
export function scopeCacheKey(scope: FeedScope): string {
  return scope.kind === 'site' ? 'site' : termKey(scope.kind, scope.slug);
}

/** Every key a commit changed: the site and each category and tag that gained, lost or changed an entry. */
export function changedCacheKeys(result: Pick<CommitResult, 'changedCategories' | 'changedTags'>): string[] {
  if (result.changedCategories.length === 0 && result.changedTags.length === 0) return [];
  return [
    'site',
    ...result.changedCategories.map((slug) => termKey('category', slug)),
    ...result.changedTags.map((slug) => termKey('tag', slug)),
  ];
}

/**
 * The CDN headers of one response: its keys (scope, edition, format) in the configured header, and the CDN's
 * lifetime. Fastly and Varnish separate surrogate keys by spaces; Cloudflare's Cache-Tag and Akamai's
 * Edge-Cache-Tag by commas.
 */
export function cdnHeaders(
  settings: CdnSettings,
  edition: Pick<Edition, 'script'>,
  scope: FeedScope,
  format: string,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (settings.tagHeader) {
    const keys = [scopeCacheKey(scope), `edition:${edition.script.toLowerCase()}`, `format:${format}`];
    headers[settings.tagHeader] = keys.join(settings.tagHeader.toLowerCase() === 'surrogate-key' ? ' ' : ',');
  }
  if (settings.maxAge !== undefined) headers[settings.cacheControlHeader] = `max-age=${settings.maxAge}`;
  return headers;
}
