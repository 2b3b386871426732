/** Which slice of a feed a request asks for. */
export interface PageRequest {
  readonly page: number;
  readonly limit: number;
}

export const MAX_LIMIT = 200;

export type PagingResult = { ok: true; paging: PageRequest } | { ok: false; reason: string };

const POSITIVE_INTEGER = /^[1-9][0-9]{0,8}$/;

function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Validates `?limit=` (1–200) and `?page=` (1…) from a parsed query; unknown parameters are ignored. */
export function parsePaging(query: Record<string, unknown>, defaultLimit: number): PagingResult {
  const { limit: rawLimit, page: rawPage } = query;
  const limit = rawLimit === undefined ? defaultLimit : Number(single(rawLimit)?.match(POSITIVE_INTEGER)?.[0] ?? NaN);
  if (!(limit >= 1 && limit <= MAX_LIMIT))
    return { ok: false, reason: `limit must be a whole number from 1 to ${MAX_LIMIT}` };
  const page = rawPage === undefined ? 1 : Number(single(rawPage)?.match(POSITIVE_INTEGER)?.[0] ?? NaN);
  if (!(page >= 1)) return { ok: false, reason: 'page must be a whole number from 1' };
  return { ok: true, paging: { page, limit } };
}

/** Number of pages a feed of `total` entries has; an empty feed still has its first page. */
export function pageCount(total: number, limit: number): number {
  return Math.max(1, Math.ceil(total / limit));
}

/** The query string that asks for `paging`, leaving defaults out so the default page has one URL. */
export function pagingQuery(paging: PageRequest, defaultLimit: number): string {
  const params = new URLSearchParams();
  if (paging.limit !== defaultLimit) params.set('limit', String(paging.limit));
  if (paging.page !== 1) params.set('page', String(paging.page));
  const query = params.toString();
  return query ? `?${query}` : '';
}
