import path from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';

/** Every setting the service reads, validated once at start-up and frozen. */
export interface Config {
  readonly port: number;
  readonly baseUrl: string;
  readonly articlesDir: string;
  readonly databaseUrl: string;
  readonly normaliseCron: string;
  readonly feedLimit: number;
  readonly siteTitle: string;
  readonly siteDescription: string;
  readonly siteLanguage: string;
  readonly siteAuthor: string;
  readonly tagAuthority: string;
  readonly maxArticleBytes: number;
  /** Bound on the bytes of rendered feeds kept in memory (every coding of every page, both editions). */
  readonly feedCacheMaxBytes: number;
  /** Wall-clock milliseconds one file may take to parse before it is rejected and its parse worker replaced. */
  readonly parseTimeoutMs: number;
  /** Seconds a normalise pass may run before it is stopped and rolled back. */
  readonly passTimeoutSeconds: number;
  /** Seconds pollers may reuse a feed: Cache-Control max-age and stale-while-revalidate. */
  readonly cacheMaxAge: number;
  /** WebSub hub told about every changed feed; none when unset. */
  readonly webSubHub: string | undefined;
  /** First retry delay for hub pings, doubled on each of the following retries. */
  readonly webSubRetryMs: number;
  /** Timeout of the HEAD request that finds an image's length; 0: never probe. */
  readonly imageProbeTimeoutMs: number;
  /** The only hosts images are probed on, trusted even on private addresses; unset: any host on a public address. */
  readonly imageProbeHosts: readonly string[] | undefined;
  /** Categories published as podcasts, with the channel details Apple Podcasts requires; none when unset. */
  readonly podcast: PodcastConfig | undefined;
  /** Largest share of the published entries one pass may retract (once there are enough to judge by). */
  readonly maxRetractFraction: number;
  /** Lets a pass retract more than maxRetractFraction, for an operator who means it. */
  readonly allowMassRetract: boolean;
  readonly logLevel: string;
  /** What this process does: serve feeds and run the job (all), only serve (web), or only run the job (worker). */
  readonly role: 'all' | 'web' | 'worker';
  /** Publish edits as files land (a watch of ARTICLES_DIR), between the scheduled full passes. */
  readonly watch: boolean;
  /** What feed responses tell a CDN in front: their cache keys and the CDN's own lifetime. */
  readonly cdn: CdnSettings;
  /** Where each commit purges the keys it changed; none when unset. */
  readonly cdnPurge: CdnPurgeConfig | undefined;
  /** How often one client may fetch one feed without a validator before it gets 429; unlimited when unset. */
  readonly pollLimit: { readonly limit: number; readonly windowSeconds: number } | undefined;
}

/** How responses tell a CDN what they are, so a commit can purge exactly what it changed. */
export interface CdnSettings {
  /** Response header carrying the cache keys (Surrogate-Key, Cache-Tag, Edge-Cache-Tag); none when unset. */
  readonly tagHeader: string | undefined;
  /** The CDN's own lifetime in seconds, longer than the readers' Cache-Control; none when unset. */
  readonly maxAge: number | undefined;
  /** Where that lifetime goes: RFC 9213's CDN-Cache-Control, or the older Surrogate-Control. */
  readonly cacheControlHeader: 'CDN-Cache-Control' | 'Surrogate-Control';
}

export interface CdnPurgeConfig {
  readonly url: string;
  /** The request shape: a generic JSON webhook, Fastly's soft purge by surrogate key, Cloudflare's purge by tag. */
  readonly style: 'webhook' | 'fastly' | 'cloudflare';
  /** Sent as Fastly-Key (fastly) or as a bearer token (cloudflare, webhook). */
  readonly token: string | undefined;
  readonly retryMs: number;
}

export interface PodcastConfig {
  readonly categories: readonly string[];
  readonly image: string;
  readonly itunesCategory: string;
  readonly ownerName: string;
  readonly ownerEmail: string;
  readonly explicit: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

// One message for every way a number can be wrong ("abc", 1.5, out of range): it says what is allowed.
const integer = (min: number, max: number) => {
  const allowed = `must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error: allowed }).int(allowed).min(min, allowed).max(max, allowed);
};
const nonEmpty = z.string().trim().min(1);

// RFC 4151 taggingEntity: a DNS name or e-mail address, a comma, and a date the name was held.
const TAG_AUTHORITY = /^[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?$/i;

// node-cron accepts any step, so "*/61 * * * *" would quietly run once an hour while "61 * * * *" is refused;
// a step must fit its field's range. The seconds field is optional, so fields are matched from the right.
const CRON_FIELDS = [
  { name: 'second', max: 59 },
  { name: 'minute', max: 59 },
  { name: 'hour', max: 23 },
  { name: 'day of month', max: 31 },
  { name: 'month', max: 12 },
  { name: 'day of week', max: 7 },
];

function cronStepProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  const ranges = CRON_FIELDS.slice(-fields.length);
  for (const [index, field] of fields.entries()) {
    const range = ranges[index];
    for (const [, step = ''] of field.matchAll(/\/(\d+)/g))
      if (range && (Number(step) < 1 || Number(step) > range.max))
        return `the ${range.name} step /${step} must be from 1 to ${range.max}`;
  }
  return undefined;
}

const schema = z.object({
  PORT: integer(1, 65535).default(3000),
  BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  ARTICLES_DIR: nonEmpty.default('data/articles'),
  DATABASE_URL: z
    .string()
    .regex(
      /^(sqlite:.+|postgres(ql)?:\/\/.+)$/,
      'must look like sqlite:path/to/file.db or postgres://user@host:5432/database',
    )
    .default('sqlite:data/feed.db'),
  NORMALISE_CRON: nonEmpty
    .refine((value) => cron.validate(value), 'must be a valid cron expression')
    .superRefine((value, ctx) => {
      const problem = cronStepProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default('*/5 * * * *'),
  FEED_LIMIT: integer(1, 200).default(50),
  SITE_TITLE: nonEmpty.default('Вести'),
  SITE_DESCRIPTION: nonEmpty.default('Најновије вести из Србије, Русије и света'),
  SITE_LANGUAGE: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag')
    .default('sr'),
  SITE_AUTHOR: nonEmpty.optional(),
  TAG_AUTHORITY: z.string().regex(TAG_AUTHORITY, 'must look like example.org,2026').optional(),
  MAX_ARTICLE_BYTES: integer(1, 1024 ** 3).default(1024 * 1024),
  FEED_CACHE_MAX_BYTES: integer(1024 * 1024, 64 * 1024 ** 3).default(256 * 1024 * 1024),
  PARSE_TIMEOUT_MS: integer(1, 3_600_000).default(5000),
  PASS_TIMEOUT: integer(1, 86_400).default(600),
  CACHE_MAX_AGE: integer(0, 31_536_000).optional(),
  WEBSUB_HUB: z.url({ protocol: /^https?$/ }).optional(),
  WEBSUB_RETRY_MS: integer(1, 3_600_000).default(1000),
  IMAGE_PROBE_TIMEOUT_MS: integer(0, 60_000).default(0),
  IMAGE_PROBE_HOSTS: z
    .string()
    .regex(/^\s*[\w.:[\]-]+(\s*,\s*[\w.:[\]-]+)*\s*$/, 'must be host names separated by commas')
    .transform((value) => value.split(',').map((host) => host.trim().toLowerCase()))
    .optional(),
  PODCAST_CATEGORIES: z
    .string()
    .regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, 'must be category slugs separated by commas')
    .transform((value) => value.split(','))
    .optional(),
  PODCAST_IMAGE: z.url({ protocol: /^https?$/ }).optional(),
  PODCAST_ITUNES_CATEGORY: nonEmpty.default('News'),
  PODCAST_OWNER_NAME: nonEmpty.optional(),
  PODCAST_OWNER_EMAIL: z.email().optional(),
  PODCAST_EXPLICIT: z.enum(['true', 'false']).default('false'),
  MAX_RETRACT_FRACTION: z.coerce
    .number({ error: 'must be a number from 0 to 1' })
    .min(0, 'must be a number from 0 to 1')
    .max(1, 'must be a number from 0 to 1')
    .default(0.5),
  ALLOW_MASS_RETRACT: z.enum(['true', 'false']).default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  WATCH: z.enum(['true', 'false']).default('true'),
  CDN_TAG_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name such as Surrogate-Key or Cache-Tag')
    .optional(),
  CDN_MAX_AGE: integer(0, 31_536_000).optional(),
  CDN_CACHE_CONTROL_HEADER: z.enum(['CDN-Cache-Control', 'Surrogate-Control']).default('CDN-Cache-Control'),
  CDN_PURGE_URL: z.url({ protocol: /^https?$/ }).optional(),
  CDN_PURGE_STYLE: z.enum(['webhook', 'fastly', 'cloudflare']).default('webhook'),
  CDN_PURGE_TOKEN: nonEmpty.optional(),
  CDN_PURGE_RETRY_MS: integer(1, 3_600_000).default(1000),
  POLL_LIMIT: integer(1, 1_000_000).optional(),
  POLL_LIMIT_WINDOW: integer(60, 86_400).default(3600),
});

// A feed can change only when the job runs, so by default a poller may keep it for one job interval.
function cronIntervalSeconds(expression: string): number {
  const task = cron.createTask(expression, () => undefined);
  try {
    const [next, after] = task.getNextRuns(2);
    return next && after ? Math.max(1, Math.round((after.getTime() - next.getTime()) / 1000)) : 300;
  } finally {
    void task.destroy();
  }
}

// Apple Podcasts refuses a show without artwork or an owner's e-mail, so both are required once a category is a podcast.
function podcastConfig(vars: z.infer<typeof schema>, author: string): PodcastConfig | undefined {
  if (!vars.PODCAST_CATEGORIES) return undefined;
  if (!vars.PODCAST_IMAGE)
    throw new ConfigError('Invalid PODCAST_IMAGE: required (square artwork URL) when PODCAST_CATEGORIES is set');
  if (!vars.PODCAST_OWNER_EMAIL)
    throw new ConfigError('Invalid PODCAST_OWNER_EMAIL: required when PODCAST_CATEGORIES is set');
  return {
    categories: vars.PODCAST_CATEGORIES,
    image: vars.PODCAST_IMAGE,
    itunesCategory: vars.PODCAST_ITUNES_CATEGORY,
    ownerName: vars.PODCAST_OWNER_NAME ?? author,
    ownerEmail: vars.PODCAST_OWNER_EMAIL,
    explicit: vars.PODCAST_EXPLICIT === 'true',
  };
}

/** Builds the config from an environment map; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(blankAsUnset);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(
      `Invalid ${variable}: ${issue?.message ?? 'bad value'} (got ${JSON.stringify(env[variable])})`,
    );
  }
  const vars = parsed.data;
  const baseUrl = (vars.BASE_URL ?? `http://localhost:${vars.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    port: vars.PORT,
    baseUrl,
    articlesDir: path.resolve(vars.ARTICLES_DIR),
    databaseUrl: vars.DATABASE_URL,
    normaliseCron: vars.NORMALISE_CRON,
    feedLimit: vars.FEED_LIMIT,
    siteTitle: vars.SITE_TITLE,
    siteDescription: vars.SITE_DESCRIPTION,
    siteLanguage: vars.SITE_LANGUAGE,
    siteAuthor: vars.SITE_AUTHOR ?? vars.SITE_TITLE,
    tagAuthority: vars.TAG_AUTHORITY ?? `${new URL(baseUrl).hostname},2026`,
    maxArticleBytes: vars.MAX_ARTICLE_BYTES,
    feedCacheMaxBytes: vars.FEED_CACHE_MAX_BYTES,
    parseTimeoutMs: vars.PARSE_TIMEOUT_MS,
    passTimeoutSeconds: vars.PASS_TIMEOUT,
    cacheMaxAge: vars.CACHE_MAX_AGE ?? cronIntervalSeconds(vars.NORMALISE_CRON),
    webSubHub: vars.WEBSUB_HUB,
    webSubRetryMs: vars.WEBSUB_RETRY_MS,
    imageProbeTimeoutMs: vars.IMAGE_PROBE_TIMEOUT_MS,
    imageProbeHosts: vars.IMAGE_PROBE_HOSTS,
    podcast: podcastConfig(vars, vars.SITE_AUTHOR ?? vars.SITE_TITLE),
    maxRetractFraction: vars.MAX_RETRACT_FRACTION,
    allowMassRetract: vars.ALLOW_MASS_RETRACT === 'true',
    logLevel: vars.LOG_LEVEL,
    role: vars.ROLE,
    watch: vars.WATCH === 'true',
    cdn: {
      tagHeader: vars.CDN_TAG_HEADER,
      maxAge: vars.CDN_MAX_AGE,
      cacheControlHeader: vars.CDN_CACHE_CONTROL_HEADER,
    },
    cdnPurge: vars.CDN_PURGE_URL
      ? {
          url: vars.CDN_PURGE_URL,
          style: vars.CDN_PURGE_STYLE,
          token: vars.CDN_PURGE_TOKEN,
          retryMs: vars.CDN_PURGE_RETRY_MS,
        }
      : undefined,
    pollLimit: vars.POLL_LIMIT ? { limit: vars.POLL_LIMIT, windowSeconds: vars.POLL_LIMIT_WINDOW } : undefined,
  });
}
