/**
 * Wrappers around third-party feed parsers/validators, used by our tests to
 * read back the feeds our service publishes.
 *
 * Rules followed by every reader below:
 *  - values come from what the library returns (we never re-parse the XML);
 *  - text is passed through untouched (no trimming, no entity decoding);
 *  - the only conversion is dates -> RFC 3339 UTC to the second
 *    ('YYYY-MM-DDTHH:mm:ssZ'), see `toRfc3339`;
 *  - a field a library does not expose is `undefined` (commented at the site).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { Ajv, type AnySchemaObject } from 'ajv';
import { XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { parseFeed as rowanParseFeed } from '@rowanmanning/feed-parser';
import RssParser from 'rss-parser';
import { validateXML } from 'xmllint-wasm';

export interface ReadItem {
  id: string;
  title: string;
  summary: string | undefined;
  link: string | undefined;
  categories: string[];
  published: string | undefined;
  updated: string | undefined;
}

export interface ReadFeed {
  title: string;
  language: string | undefined;
  selfUrl?: string | undefined;
  items: ReadItem[];
}

export type FeedFormat = 'rss' | 'atom' | 'json';

// ---------------------------------------------------------------------------
// helpers

/**
 * Normalise a date value returned by a library to 'YYYY-MM-DDTHH:mm:ssZ'.
 * Libraries hand back either Date objects (feed-parser), ISO strings
 * (rss-parser's isoDate) or the raw date text (feedsmith, rss-parser custom
 * fields). An unparseable value is returned verbatim (prefixed) so that test
 * assertions fail loudly instead of silently seeing `undefined`.
 */
function toRfc3339(value: Date | string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return `INVALID DATE: ${String(value)}`;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Required string fields: a library returning nothing becomes '' (tests will see it). */
function str(value: string | null | undefined): string {
  return value ?? '';
}

function opt(value: string | null | undefined): string | undefined {
  return value ?? undefined;
}

function unsupported(reader: string, format: string): Error {
  return new Error(`${reader} cannot read format '${format}'`);
}

// ---------------------------------------------------------------------------
// validators

/** Throws an Error listing the problems if xml is not well-formed (fast-xml-parser XMLValidator.validate). */
export function assertWellFormedXml(xml: string): void {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- moving to its successor, fast-xml-validator, is a change of its own.
  const result = XMLValidator.validate(xml);
  if (result === true) return;
  // XMLValidator stops at the first problem, so there is at most one.
  const { code, msg, line, col } = result.err;
  throw new Error(`XML is not well-formed:\n  - line ${line}, col ${col}: ${code}: ${msg}`);
}

/** Throws with libxml2's error messages if xml is not well-formed XML 1.0 (xmllint-wasm, which also checks every character). */
export async function assertWellFormedXmlByLibxml(xml: string): Promise<void> {
  const result = await validateXML({ xml: [{ fileName: 'feed.xml', contents: xml }], normalization: 'c14n' });
  if (result.valid) return;
  throw new Error(`XML is not well-formed (xmllint):\n${result.errors.map((e) => `  - ${e.rawMessage}`).join('\n')}`);
}

const ATOM_RNG_PATH = fileURLToPath(new URL('../fixtures/atom-rfc4287.rng', import.meta.url));
let atomRngPromise: Promise<string> | undefined;

/** Validates Atom against the RELAX NG schema at test/fixtures/atom-rfc4287.rng (already present) with xmllint-wasm; throws with libxml2's error messages. */
export async function assertValidAtom(xml: string): Promise<void> {
  atomRngPromise ??= readFile(ATOM_RNG_PATH, 'utf8');
  const schema = await atomRngPromise;
  let result;
  try {
    result = await validateXML({
      xml: [{ fileName: 'feed.xml', contents: xml }],
      schema: [{ fileName: 'atom-rfc4287.rng', contents: schema }],
      extension: 'relaxng',
    });
  } catch (err) {
    // xmllint-wasm rejects (with libxml2's stderr as message) for non-validation
    // failures, e.g. a document that is not well-formed.
    throw new Error(`Atom is not valid (xmllint failed):\n${(err as Error).message}`);
  }
  if (result.valid) return;
  const lines = result.errors.map((e) => `  - ${e.rawMessage}`);
  throw new Error(`Atom is not valid against RFC 4287 RELAX NG schema:\n${lines.join('\n')}`);
}

// jsonfeed-schema is CommonJS without types or an "exports" map; load the
// 1.1 schema JSON through require.
const require = createRequire(import.meta.url);
const jsonFeed11Schema = require('jsonfeed-schema/schema-v1.1.json') as AnySchemaObject;

const ajv = new Ajv({ allErrors: true });
// The schema uses `"format": "uri"` and `"format": "date-time"`; ajv 8 has no
// built-in formats and ajv-formats is not installed, so register both here:
// 'uri' = absolute URL per WHATWG URL; 'date-time' = RFC 3339 date-time
// (with 'T' separator and explicit offset) that also parses to a real date.
const RFC3339_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
ajv.addFormat('uri', (value: string) => URL.canParse(value));
ajv.addFormat('date-time', (value: string) => RFC3339_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
const validateJsonFeed11 = ajv.compile(jsonFeed11Schema);

const JSON_FEED_11 = 'https://jsonfeed.org/version/1.1';

/** Validates a JSON Feed 1.1 document (parsed object) with ajv + the jsonfeed-schema package's 1.1 schema; throws with ajv's errors. Also require version === 'https://jsonfeed.org/version/1.1'. */
export function assertValidJsonFeed11(doc: unknown): void {
  const problems: string[] = [];
  if (!validateJsonFeed11(doc)) {
    for (const e of validateJsonFeed11.errors ?? []) {
      problems.push(`${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
    }
  }
  const version = typeof doc === 'object' && doc !== null ? (doc as { version?: unknown }).version : undefined;
  if (version !== JSON_FEED_11) {
    problems.push(`/version must be '${JSON_FEED_11}', got ${JSON.stringify(version)}`);
  }
  if (problems.length > 0) {
    throw new Error(`JSON Feed 1.1 is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

// ---------------------------------------------------------------------------
// feedsmith

/**
 * feedsmith: parseRssFeed / parseAtomFeed / parseJsonFeed.
 * Dates are returned as the raw date text (default TDate = string).
 * Note: feedsmith trims every string value (and decodes entities exactly once).
 */
export async function readWithFeedsmith(body: string, format: FeedFormat): Promise<ReadFeed> {
  switch (format) {
    case 'rss': {
      const feed = parseRssFeed(body);
      return {
        title: str(feed.title),
        language: opt(feed.language),
        selfUrl: opt(feed.atom?.links?.find((l) => l.rel === 'self')?.href),
        items: (feed.items ?? []).map((item) => ({
          id: str(item.guid?.value),
          title: str(item.title),
          summary: opt(item.description),
          link: opt(item.link),
          categories: (item.categories ?? []).map((c) => str(c.name)),
          published: toRfc3339(item.pubDate),
          // RSS 2.0 has no "updated" element; feedsmith exposes none for our
          // item shape (it would only be in dc:date / atom:updated, which we don't emit).
          updated: undefined,
        })),
      };
    }
    case 'atom': {
      const feed = parseAtomFeed(body);
      return {
        title: str(feed.title?.value),
        language: opt(feed.xml?.lang), // root xml:lang
        selfUrl: opt(feed.links?.find((l) => l.rel === 'self')?.href),
        items: (feed.entries ?? []).map((entry) => ({
          id: str(entry.id),
          title: str(entry.title?.value),
          summary: opt(entry.summary?.value),
          link: opt(entry.links?.find((l) => l.rel === 'alternate' || l.rel === undefined)?.href),
          categories: (entry.categories ?? []).map((c) => c.label ?? str(c.term)),
          published: toRfc3339(entry.published),
          updated: toRfc3339(entry.updated),
        })),
      };
    }
    case 'json': {
      const feed = parseJsonFeed(body);
      return {
        title: str(feed.title),
        language: opt(feed.language),
        selfUrl: opt(feed.feed_url),
        items: (feed.items ?? []).map((item) => ({
          id: str(item.id),
          title: str(item.title),
          summary: opt(item.summary),
          link: opt(item.url),
          categories: item.tags ?? [],
          published: toRfc3339(item.date_published),
          updated: toRfc3339(item.date_modified),
        })),
      };
    }
    default:
      throw unsupported('feedsmith', format);
  }
}

// ---------------------------------------------------------------------------
// rss-parser

/** xml2js value: a plain string, or `{ _: text, $: attributes }` when the element has attributes. */
type Xml2jsNode = string | { _?: string; $?: Record<string, string> };

interface RssParserItemExtra {
  /** Atom only, requested via customFields (rss-parser does not map Atom categories by default). */
  atomCategories?: Xml2jsNode[];
  /** Atom only, requested via customFields (rss-parser only uses <updated> as a pubDate fallback). */
  atomUpdated?: string;
}

function xml2jsText(node: Xml2jsNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  return typeof node === 'string' ? node : node._;
}

/**
 * rss-parser (xml2js based). Uses its documented `customFields` option to get
 * Atom <category> and <updated>, which it does not map on its own.
 * Note: for RSS, rss-parser puts <description> into `item.content` (and
 * <content:encoded> into `item['content:encoded']`); <category> elements with
 * attributes come back as xml2js objects `{ _, $ }` despite the `string[]` typing.
 */
export async function readWithRssParser(body: string, format: 'rss' | 'atom'): Promise<ReadFeed> {
  const parser = new RssParser<Record<string, never>, RssParserItemExtra>({
    customFields: {
      item: [
        ['category', 'atomCategories', { keepArray: true }],
        ['updated', 'atomUpdated'],
      ],
    },
  });
  const feed = await parser.parseString(body);
  const items = feed.items.map((item): ReadItem => {
    // typed as string[] by rss-parser, but really xml2js nodes
    const rssCategories = (item.categories ?? []) as unknown as Xml2jsNode[];
    if (format === 'rss') {
      return {
        id: str(item.guid),
        title: str(item.title),
        summary: opt(item.content), // rss-parser maps RSS <description> to `content`
        link: opt(item.link),
        categories: rssCategories.map((c) => str(xml2jsText(c))),
        published: toRfc3339(item.isoDate ?? item.pubDate),
        // rss-parser has no "updated" for RSS items (only dc:date as `date`, not emitted by us).
        updated: undefined,
      };
    }
    return {
      id: str((item as { id?: string }).id), // Atom <id> is set as `id` (not in the typings)
      title: str(item.title),
      summary: opt(item.summary),
      link: opt(item.link),
      categories: (item.atomCategories ?? []).map((c) => (typeof c === 'string' ? c : str(c.$?.label ?? c.$?.term))),
      // NB: rss-parser falls back to <updated> here when <published> is missing.
      published: toRfc3339(item.isoDate ?? item.pubDate),
      updated: toRfc3339(item.atomUpdated),
    };
  });
  return {
    title: str(feed.title),
    // rss-parser reads <language> for RSS only; it does not expose the Atom root xml:lang.
    language: format === 'rss' ? opt((feed as { language?: string }).language) : undefined,
    // NB: for Atom, rss-parser falls back to the 2nd <link> when there is no rel="self".
    selfUrl: opt(feed.feedUrl),
    items,
  };
}

// ---------------------------------------------------------------------------
// @rowanmanning/feed-parser

/**
 * @rowanmanning/feed-parser: parseFeed(xml) for RSS and Atom only (no JSON Feed).
 * Note: all its text values are trimmed and entity-decoded a second time with
 * html-entities (so a literal "&amp;" in a title comes back as "&"); item URLs
 * are run through `new URL()` (percent-encoding non-ASCII); RSS items get
 * `updated` = published when there is no dc:date; items without categories
 * inherit the feed's categories.
 */
export async function readWithFeedParser(body: string, format: FeedFormat): Promise<ReadFeed> {
  if (format !== 'rss' && format !== 'atom') throw unsupported('@rowanmanning/feed-parser', format);
  const feed = rowanParseFeed(body);
  if (feed.meta.type !== format) {
    throw new Error(`@rowanmanning/feed-parser detected '${feed.meta.type}', expected '${format}'`);
  }
  return {
    title: str(feed.title),
    language: opt(feed.language),
    selfUrl: opt(feed.self),
    items: feed.items.map((item) => ({
      id: str(item.id),
      title: str(item.title),
      summary: opt(item.description),
      link: opt(item.url),
      categories: item.categories.map((c) => c.label ?? c.term),
      published: toRfc3339(item.published),
      updated: toRfc3339(item.updated),
    })),
  };
}

// ---------------------------------------------------------------------------

/** Convenience: every reader that supports the format, as [name, ReadFeed] pairs. */
export async function readWithAll(body: string, format: FeedFormat): Promise<Array<[string, ReadFeed]>> {
  const out: Array<[string, ReadFeed]> = [['feedsmith', await readWithFeedsmith(body, format)]];
  if (format !== 'json') {
    out.push(['rss-parser', await readWithRssParser(body, format)]);
    out.push(['@rowanmanning/feed-parser', await readWithFeedParser(body, format)]);
  }
  return out;
}

/** Every validity check for a feed of `format`: JSON Feed 1.1 schema, or well-formed XML (and RFC 4287 for Atom). */
export async function assertValidFeed(body: string, format: FeedFormat): Promise<void> {
  if (format === 'json') {
    assertValidJsonFeed11(JSON.parse(body));
    return;
  }
  assertWellFormedXml(body);
  if (format === 'atom') await assertValidAtom(body);
  else await assertWellFormedXmlByLibxml(body);
}
