import type { Request, Response, Router } from 'express';
import helmet from 'helmet';
import { scopeFilter } from '../../feeds/build.js';
import type { Retention } from '../../feeds/byte-lru.js';
import type { FeedCache } from '../../feeds/cache.js';
import { entryInEdition, type Edition } from '../../feeds/edition.js';
import { pageCount, parsePaging } from '../../feeds/paging.js';
import { TERM_FOLDERS } from '../../feeds/urls.js';
import type { Store } from '../../store/store.js';
import { badRequest, methodNotAllowed, notFound } from '../errors.js';
import { strictRouter } from '../router.js';
import { pageHelmetOptions } from '../page-security.js';
import { serveFeed } from '../serve-feed.js';
import { renderArticlePage } from '../pages/article-page.js';
import { renderIndexPage } from '../pages/index-page.js';
import { renderTermIndexPage, TERMS_PER_PAGE } from '../pages/term-index-page.js';
import { renderTermPage } from '../pages/term-page.js';

const LATEST_ON_PAGE = 20;
const HTML = 'text/html; charset=utf-8';

/**
 * HTML pages for people in one edition: the index with every feed, the lists of categories and tags, one page
 * per category, tag and article.
 */
export function pageRoutes(edition: Edition, allEditions: readonly Edition[], store: Store, cache: FeedCache): Router {
  const { config } = edition;
  const router = strictRouter();
  const entries = async (filter: Parameters<Store['listEntries']>[0], limit: number) =>
    (await store.listEntries(filter, limit, 0)).map((entry) => entryInEdition(edition, entry));
  router.use(helmet(pageHelmetOptions(config)));
  // Rendered once per store version and kept in the feeds' bounded cache: a page request is a lookup, as a poll is.
  const servePage = async (
    req: Request,
    res: Response,
    name: string,
    render: () => Promise<string>,
    retention?: Retention,
  ) => {
    serveFeed(req, res, await cache.page(name, HTML, render, retention));
  };
  router.get('/', (req, res) =>
    // The front page is what people and crawlers keep coming back to: kept like a polled feed.
    servePage(
      req,
      res,
      '/',
      async () => {
        const [categories, tags, latest] = await Promise.all([
          cache.terms('category'),
          cache.terms('tag'),
          entries({}, LATEST_ON_PAGE),
        ]);
        return renderIndexPage(edition, allEditions, { categories, tags }, latest);
      },
      'polled',
    ),
  );
  for (const kind of ['category', 'tag'] as const) {
    router.get(`/${TERM_FOLDERS[kind]}/`, async (req, res) => {
      const paging = parsePaging(req.query, TERMS_PER_PAGE);
      if (!paging.ok) throw badRequest(paging.reason);
      const { page, limit } = paging.paging;
      await servePage(req, res, `/${TERM_FOLDERS[kind]}/?page=${page}&limit=${limit}`, async () => {
        const terms = await cache.terms(kind);
        const lastPage = pageCount(terms.length, limit);
        if (page > lastPage) throw notFound('No such page: past the last page of this list');
        return renderTermIndexPage(
          edition,
          kind,
          terms.slice((page - 1) * limit, page * limit),
          paging.paging,
          lastPage,
        );
      });
    });
    router.get(`/${TERM_FOLDERS[kind]}/:slug`, async (req: Request<{ slug: string }>, res) => {
      const scope = await cache.termScope(kind, req.params.slug);
      if (scope?.kind !== kind) throw notFound(`Unknown ${kind}`);
      await servePage(req, res, `/${TERM_FOLDERS[kind]}/${scope.slug}`, async () =>
        renderTermPage(edition, scope, await entries(scopeFilter(scope), config.feedLimit)),
      );
    });
  }
  router.get('/articles/:slug', (req: Request<{ slug: string }>, res) =>
    servePage(req, res, `/articles/${req.params.slug}`, async () => {
      const entry = await store.findEntryBySlug(req.params.slug);
      if (!entry) throw notFound('Unknown article');
      return renderArticlePage(edition, entryInEdition(edition, entry));
    }),
  );
  router.all(
    [
      '/',
      `/${TERM_FOLDERS.category}/`,
      `/${TERM_FOLDERS.tag}/`,
      `/${TERM_FOLDERS.category}/:slug`,
      `/${TERM_FOLDERS.tag}/:slug`,
      '/articles/:slug',
    ],
    methodNotAllowed,
  );
  return router;
}
