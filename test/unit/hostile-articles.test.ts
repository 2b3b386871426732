import assert from 'node:assert/strict';
import { parseStrictDate, toRfc822 } from '../../src/articles/dates.js';
import { parseArticleFile } from '../../src/articles/parse.js';

const TEXT = 'Србија\n\nНаслов\n\nУвод\n\nПасус.\n';
const parse = (frontMatter: string) => parseArticleFile('a.txt', Buffer.from(`---\n${frontMatter}\n---\n${TEXT}`));

describe('hostile front matter and dates, in detail', () => {
  it('refuses anchors in every YAML style, before any alias is expanded', () => {
    for (const frontMatter of [
      'tags: [&a x, *a]',
      'tags:\n  - &a x\n  - *a',
      'x: &big {a: 1}\ny: *big',
      'author: &only Ана',
    ]) {
      const result = parse(frontMatter);
      assert.equal(result.ok, false, frontMatter);
      assert.match(result.reason, /^front matter uses a YAML anchor/, frontMatter);
    }
  });

  it('keeps * and & that are text: quoted, in block scalars and in comments', () => {
    const result = parse('author: "*а & б"\ntags: [\'*x\', "&y"]\n# *comment &anchor\ncategory: |\n  *Свет*');
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.equal(result.article.meta.author, '*а & б');
    assert.deepEqual(result.article.meta.tags, ['*x', '&y']);
    assert.equal(result.article.category, '*Свет*');
  });

  it('names an alias without its anchor as broken YAML', () => {
    const result = parse('tags: [*a]');
    assert.match(
      result.ok ? '' : result.reason,
      /^front matter is not valid YAML: unidentified alias at line \d+, column \d+$/,
    );
  });

  it('publishes the first and last instants of years 1000–9999 in RFC 3339 and RFC 822, whatever the offset', () => {
    const cases: Array<[string, string, string]> = [
      ['1000-01-01T00:59:59-01:00', '1000-01-01T01:59:59Z', 'Wed, 01 Jan 1000 01:59:59 GMT'],
      ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59Z', 'Fri, 31 Dec 9999 23:59:59 GMT'],
      ['9999-12-31T23:59:59+14:00', '9999-12-31T09:59:59Z', 'Fri, 31 Dec 9999 09:59:59 GMT'],
      ['2026-11-20T08:30:00+0100', '2026-11-20T07:30:00Z', 'Fri, 20 Nov 2026 07:30:00 GMT'],
    ];
    for (const [written, rfc3339, rfc822] of cases) {
      assert.deepEqual(parseStrictDate(written), { ok: true, date: rfc3339 }, written);
      assert.equal(toRfc822(rfc3339), rfc822, written);
    }
  });

  it('refuses instants outside those years and offsets that are no offsets', () => {
    assert.match(reasonFor('1000-01-01T00:30:00+01:00'), /falls in the year 999 \(UTC\)/);
    assert.match(reasonFor('0999-12-31'), /falls in the year 999 \(UTC\)/);
    assert.match(reasonFor('2026-01-01T00:00:00+24:00'), /^unparseable date: /);
    assert.match(reasonFor('0100-02-29'), /^unparseable date: /, 'year 100 is no leap year, whatever 2000 was');
  });
});

function reasonFor(date: string): string {
  const result = parseStrictDate(date);
  return result.ok ? `accepted as ${result.date}` : result.reason;
}
