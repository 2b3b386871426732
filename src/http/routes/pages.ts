import { Router, type Request } from 'express';
import helmet from 'helmet';
import type { Config } from '../../config.js';
import type { FeedCache } from '../../feeds/cache.js';
import { scopeFilter } from '../../feeds/build.js';
import type { Store } from '../../store/store.js';
import { methodNotAllowed, notFound } from '../errors.js';
import { renderArticlePage } from '../pages/article-page.js';
import { renderCategoryPage } from '../pages/category-page.js';
import { renderIndexPage } from '../pages/index-page.js';

const LATEST_ON_PAGE = 20;

/** HTML pages for people: the index with every feed, one page per category and per article. */
export function pageRoutes(config: Config, store: Store, cache: FeedCache): Router {
  const router = Router();
  router.use(helmet({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'"] } } }));
  router.get('/', async (_req, res) => {
    const [categories, latest] = await Promise.all([cache.categories(), store.listEntries({}, LATEST_ON_PAGE, 0)]);
    res.type('html').send(renderIndexPage(config, categories, latest));
  });
  router.get('/categories/:slug', async (req: Request<{ slug: string }>, res) => {
    const scope = await cache.categoryScope(req.params.slug);
    if (scope?.kind !== 'category') throw notFound('Unknown category');
    const entries = await store.listEntries(scopeFilter(scope), config.feedLimit, 0);
    res.type('html').send(renderCategoryPage(config, scope, entries));
  });
  router.get('/articles/:slug', async (req: Request<{ slug: string }>, res) => {
    const entry = await store.findEntryBySlug(req.params.slug);
    if (!entry) throw notFound('Unknown article');
    res.type('html').send(renderArticlePage(config, entry));
  });
  router.all(['/', '/categories/:slug', '/articles/:slug'], methodNotAllowed);
  return router;
}
