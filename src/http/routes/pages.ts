import { Router, type Request } from 'express';
import helmet from 'helmet';
import { scopeFilter } from '../../feeds/build.js';
import type { FeedCache } from '../../feeds/cache.js';
import { entryInEdition, type Edition } from '../../feeds/edition.js';
import { TERM_FOLDERS } from '../../feeds/urls.js';
import type { Store } from '../../store/store.js';
import { methodNotAllowed, notFound } from '../errors.js';
import { renderArticlePage } from '../pages/article-page.js';
import { renderIndexPage } from '../pages/index-page.js';
import { renderTermPage } from '../pages/term-page.js';

const LATEST_ON_PAGE = 20;

/** HTML pages for people in one edition: the index with every feed, one page per category, tag and article. */
export function pageRoutes(edition: Edition, allEditions: readonly Edition[], store: Store, cache: FeedCache): Router {
  const { config } = edition;
  const router = Router();
  const entries = async (filter: Parameters<Store['listEntries']>[0], limit: number) =>
    (await store.listEntries(filter, limit, 0)).map((entry) => entryInEdition(edition, entry));
  // HSTS and upgrade-insecure-requests only make sense, and only work, when the site is served over https.
  const https = config.baseUrl.startsWith('https:');
  router.use(
    helmet({
      contentSecurityPolicy: { directives: { scriptSrc: ["'self'"], upgradeInsecureRequests: https ? [] : null } },
      strictTransportSecurity: https,
    }),
  );
  router.get('/', async (_req, res) => {
    const [categories, tags, latest] = await Promise.all([cache.terms('category'), cache.terms('tag'), entries({}, LATEST_ON_PAGE)]);
    res.type('html').send(renderIndexPage(edition, allEditions, { categories, tags }, latest));
  });
  for (const kind of ['category', 'tag'] as const)
    router.get(`/${TERM_FOLDERS[kind]}/:slug`, async (req: Request<{ slug: string }>, res) => {
      const scope = await cache.termScope(kind, req.params.slug);
      if (scope?.kind !== kind) throw notFound(`Unknown ${kind}`);
      res.type('html').send(renderTermPage(config, scope, await entries(scopeFilter(scope), config.feedLimit)));
    });
  router.get('/articles/:slug', async (req: Request<{ slug: string }>, res) => {
    const entry = await store.findEntryBySlug(req.params.slug);
    if (!entry) throw notFound('Unknown article');
    res.type('html').send(renderArticlePage(edition, entryInEdition(edition, entry)));
  });
  router.all(['/', `/${TERM_FOLDERS.category}/:slug`, `/${TERM_FOLDERS.tag}/:slug`, '/articles/:slug'], methodNotAllowed);
  return router;
}
