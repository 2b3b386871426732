import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Article } from '../../src/articles/article.js';
import { loadConfig } from '../../src/config.js';
import { cleanLine, cleanText } from '../../src/entries/clean-text.js';
import type { Entry } from '../../src/entries/entry.js';
import { normaliseArticle } from '../../src/entries/normalise.js';
import { buildFeedView } from '../../src/feeds/build.js';
import { createEditions } from '../../src/feeds/edition.js';
import { FORMATS } from '../../src/feeds/formats.js';
import { analyseFile } from '../../src/jobs/decide-file.js';
import {
  assertValidAtom,
  assertValidJsonFeed11,
  assertWellFormedXml,
  assertWellFormedXmlByLibxml,
  readWithFeedsmith,
} from '../support/third-party.js';

const [edition] = createEditions(loadConfig({ BASE_URL: 'https://vesti.example', LOG_LEVEL: 'silent' }));
if (!edition) throw new Error('no primary edition');

// Any Unicode at all, lone surrogates and XML-forbidden controls included, plus the characters that broke `feed`.
const hostile = fc.constantFrom(
  '<',
  '>',
  '&',
  '&amp;',
  ']]>',
  '"',
  "'",
  '\u0000',
  '\u0008',
  '\r',
  '\t',
  '\uFFFE',
  '\uD800',
  '😀',
  '\u200B',
  '\u200F',
  'Ђ',
);
const anyText = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), hostile), { maxLength: 6 })
  .map((parts) => parts.join(''));

const articleArbitrary = fc.record({
  category: anyText,
  title: anyText,
  lead: anyText,
  paragraphs: fc.array(anyText, { minLength: 1, maxLength: 3 }),
  author: anyText,
  tags: fc.array(anyText, { maxLength: 3 }),
});

type ArticleInput = {
  category: string;
  title: string;
  lead: string;
  paragraphs: string[];
  author: string;
  tags: string[];
};

function toEntry(input: ArticleInput): Entry | undefined {
  const article: Article = {
    meta: { tags: input.tags, ...(cleanLine(input.author) ? { author: input.author } : {}) },
    category: input.category,
    title: input.title,
    lead: input.lead,
    paragraphs: input.paragraphs,
  };
  const result = normaliseArticle(article, {
    sourcePath: 'svojstva/vest.txt',
    firstSeen: '2026-11-20T10:00:00Z',
    lastChanged: undefined,
    language: 'sr',
    defaultAuthor: 'Вести',
  });
  if (!result.ok) return undefined;
  const { slugBase, ...entry } = result.entry;
  return { ...entry, slug: slugBase };
}

const render = (entry: Entry, format: 'rss' | 'atom' | 'json') =>
  FORMATS[format].render(buildFeedView(edition, { kind: 'site' }, [entry]));

describe('feeds for arbitrary Unicode text (fast-check)', () => {
  it('stay well-formed XML and valid JSON Feed 1.1, and read back as the cleaned input', async () => {
    await fc.assert(
      fc.asyncProperty(articleArbitrary, async (input) => {
        const entry = toEntry(input);
        fc.pre(entry !== undefined);
        for (const format of ['rss', 'atom', 'json'] as const) {
          const document = render(entry, format);
          if (format === 'json') assertValidJsonFeed11(JSON.parse(document));
          else assertWellFormedXml(document);
          const [item] = (await readWithFeedsmith(document, format)).items;
          assert.equal(item?.title, cleanLine(input.title), `${format} title`);
          assert.equal(item.summary, cleanText(input.lead), `${format} summary`);
          assert.equal(item.categories[0], cleanLine(input.category), `${format} category`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('stay valid Atom against the RFC 4287 RELAX NG schema', async function () {
    // 25 libxml2 (wasm) validations take ~17 s alone and over mocha's 20 s default on the shared 2-core machine.
    this.timeout(90_000);
    await fc.assert(
      fc.asyncProperty(articleArbitrary, async (input) => {
        const entry = toEntry(input);
        fc.pre(entry !== undefined);
        await assertValidAtom(render(entry, 'atom'));
      }),
      { numRuns: 25 },
    );
  });

  it('render the same input to the same bytes', () => {
    fc.assert(
      fc.property(articleArbitrary, (input) => {
        const entry = toEntry(input);
        fc.pre(entry !== undefined);
        for (const format of ['rss', 'atom', 'json'] as const)
          assert.equal(render(entry, format), render(structuredClone(entry), format));
      }),
      { numRuns: 100 },
    );
  });
});

// Whole article files: a plausible article with one to three of its fields (front matter, JSON or file name)
// replaced by something hostile, so that most fields stay publishable and the hostile one is what is tested.
const plausibleArticle: Record<string, unknown> = {
  id: 'vest-1',
  url: 'https://vesti.example/izvor/vest-1',
  published: '2026-11-20T08:30:00+01:00',
  updated: '2026-11-21T10:00:00Z',
  author: 'Марија Стојановић',
  category: 'Србија',
  tags: ['метро', 'Београд'],
  image: 'https://vesti.example/slike/metro.jpg',
  image_type: 'image/jpeg',
  image_length: 48213,
  audio: { url: 'https://vesti.example/ep1.mp3', type: 'audio/mpeg', length: 1234567, duration: '12:34' },
  title: 'Наслов вести',
  lead: 'Увод у вест',
  body: ['Први пасус.', 'Други пасус.'],
  credit: 'AP Photo © Ана Анић',
};
const TEXT_FIELDS = ['title', 'lead', 'category', 'body'];

const xmlForbiddenAndControls = fc.constantFrom(
  '\u0001',
  '\u001F',
  '\u007F',
  '\u0085',
  '\u009F',
  '\uFFFE',
  '\uFFFF',
  '\uD800',
  '\uDC00',
  ' ',
  '\n',
);
const hostileText = fc.oneof(anyText, xmlForbiddenAndControls);
// 0000–9999 in every month, day and offset, so that the UTC instant can leave the four-digit years either way.
const anyIsoDate = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 31 }),
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: -1439, max: 1439 }),
  )
  .map(([year, month, day, hour, offset]) => {
    const two = (n: number) => String(n).padStart(2, '0');
    const sign = offset < 0 ? '-' : '+';
    return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:30:00${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  });
const anyDuration = fc.tuple(fc.nat(150), fc.nat(150), fc.nat(150)).map(([h, m, s]) => `${h}:${m}:${s}`);

const asLine = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Hostile text spliced into a plausible value at any position. */
const splicedInto = (value: unknown) =>
  fc.tuple(hostileText, fc.nat()).map(([inserted, at]) => {
    const text = asLine(value);
    const position = at % (text.length + 1);
    return `${text.slice(0, position)}${inserted}${text.slice(position)}`;
  });

/** Hostile text after a plausible value: for a URL, that is its path, where URL parsers let most things through. */
const appendedTo = (value: unknown) => hostileText.map((appended) => `${asLine(value)}${appended}`);

const FIELD_PATHS = [...Object.keys(plausibleArticle), 'audio.url', 'audio.type', 'audio.length', 'audio.duration'];
const plausibleAt = (path: string) =>
  path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], plausibleArticle);

const hostileField = fc
  .constantFrom(...FIELD_PATHS)
  .chain((path) =>
    fc.tuple(
      fc.constant(path),
      fc.oneof(
        hostileText,
        splicedInto(plausibleAt(path)),
        appendedTo(plausibleAt(path)),
        fc.jsonValue(),
        anyIsoDate,
        anyDuration,
        fc.constant(undefined),
      ),
    ),
  );

function withField(article: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [key = '', ...rest] = path.split('.');
  const inner =
    rest.length === 0 ? value : withField({ ...(article[key] as Record<string, unknown>) }, rest.join('.'), value);
  return { ...article, [key]: inner };
}

// The raw layout: every other field as front matter, one JSON value per key (JSON is valid YAML flow style).
function rawLayout(article: Record<string, unknown>): string {
  const frontMatter = Object.entries(article)
    .filter(([key, value]) => !TEXT_FIELDS.includes(key) && key !== 'credit' && value !== undefined)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  const body = Array.isArray(article.body) ? article.body.map(asLine) : [asLine(article.body)];
  return `---\n${frontMatter.join('\n')}\n---\n${[article.category, article.title, article.lead].map(asLine).join('\n\n')}\n\n${body.join('\n\n')}\n`;
}

const articleFile = fc
  .record({
    layout: fc.constantFrom('json', 'txt'),
    name: fc.oneof(fc.constant('vest'), hostileText),
    fields: fc.array(hostileField, { minLength: 1, maxLength: 3 }),
  })
  .map(({ layout, name, fields }) => {
    const article = fields.reduce((current, [path, value]) => withField(current, path, value), plausibleArticle);
    const content = layout === 'json' ? JSON.stringify(article) : rawLayout(article);
    return { path: `${name}.${layout}`, bytes: Buffer.from(content), article };
  });

const analysed = (file: { path: string; bytes: Uint8Array }) =>
  analyseFile({
    ...file,
    firstSeen: '2026-11-20T10:00:00Z',
    lastChanged: null,
    context: { now: '2026-11-20T10:00:00Z', language: 'sr', defaultAuthor: 'Вести' },
  });

describe('feeds for article files with arbitrary fields (fast-check)', () => {
  it('reject the article or stay well-formed XML (libxml2), valid Atom and valid JSON Feed 1.1', async function () {
    // libxml2 runs as WebAssembly, one instance per document: many articles go into each feed to keep it affordable.
    this.timeout(300_000);
    let published = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(articleFile, { minLength: 1, maxLength: 12 }), async (files) => {
        const entries: Entry[] = [];
        for (const file of files) {
          const analysis = analysed(file);
          if (!analysis.ok) assert.match(analysis.reason, /\S/, 'a rejection says why');
          else {
            const { slugBase, ...rest } = analysis.entry;
            entries.push({ ...rest, slug: slugBase });
          }
        }
        if (entries.length === 0) return;
        published += entries.length;
        const feed = (format: 'rss' | 'atom' | 'json') =>
          FORMATS[format].render(buildFeedView(edition, { kind: 'site' }, entries));
        await assertWellFormedXmlByLibxml(feed('rss'));
        await assertValidAtom(feed('atom'));
        assertValidJsonFeed11(JSON.parse(feed('json')));
      }),
      { numRuns: 40 },
    );
    assert.ok(published > 0, 'some hostile files are published, so the feeds above were really checked');
  });
});
