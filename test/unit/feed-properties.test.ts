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
import { assertValidAtom, assertValidJsonFeed11, assertWellFormedXml, readWithFeedsmith } from '../support/third-party.js';

const [edition] = createEditions(loadConfig({ BASE_URL: 'https://vesti.example', LOG_LEVEL: 'silent' }));
if (!edition) throw new Error('no primary edition');

// Any Unicode at all, lone surrogates and XML-forbidden controls included, plus the characters that broke `feed`.
const hostile = fc.constantFrom('<', '>', '&', '&amp;', ']]>', '"', "'", '\u0000', '\u0008', '\r', '\t', '\uFFFE', '\uD800', '😀', '\u200B', '\u200F', 'Ђ');
const anyText = fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), hostile), { maxLength: 6 }).map((parts) => parts.join(''));

const articleArbitrary = fc.record({
  category: anyText,
  title: anyText,
  lead: anyText,
  paragraphs: fc.array(anyText, { minLength: 1, maxLength: 3 }),
  author: anyText,
  tags: fc.array(anyText, { maxLength: 3 }),
});

type ArticleInput = { category: string; title: string; lead: string; paragraphs: string[]; author: string; tags: string[] };

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

  it('stay valid Atom against the RFC 4287 RELAX NG schema', async () => {
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
        for (const format of ['rss', 'atom', 'json'] as const) assert.equal(render(entry, format), render(structuredClone(entry), format));
      }),
      { numRuns: 100 },
    );
  });
});
