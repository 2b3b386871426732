import assert from 'node:assert/strict';
import { parseArticleFile } from '../../src/articles/parse.js';
import type { Article } from '../../src/articles/article.js';

const RAW = `Свет

Наслов вести

Увод у вест
Наслов вестиAP Photo © Darko Vojinović

Први пасус.

image

Други пасус
који се наставља у новом реду.
`;

function parsed(name: string, text: string): Article {
  const result = parseArticleFile(name, Buffer.from(text));
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.article;
}

function rejection(name: string, text: string): string {
  const result = parseArticleFile(name, Buffer.from(text));
  assert.equal(result.ok, false);
  return result.reason;
}

describe('parsing stored articles', () => {
  it('reads the raw layout: category, title, lead, photo credit, paragraphs without placeholders', () => {
    const article = parsed('a.txt', RAW);
    assert.equal(article.category, 'Свет');
    assert.equal(article.title, 'Наслов вести');
    assert.equal(article.lead, 'Увод у вест');
    assert.deepEqual(article.credit, { source: 'AP Photo', name: 'Darko Vojinović' });
    assert.deepEqual(article.paragraphs, ['Први пасус.', 'Други пасус који се наставља у новом реду.']);
  });

  it('accepts an article without a photo line', () => {
    const article = parsed('a.txt', 'Свет\n\nНаслов\n\nУвод\n\nНаслов почиње пасус, али није фото линија.\n');
    assert.equal(article.credit, undefined);
    assert.deepEqual(article.paragraphs, ['Наслов почиње пасус, али није фото линија.']);
  });

  it('takes id, dates, author, category, tags, image and url from YAML front matter', () => {
    const article = parsed(
      'a.txt',
      `---\nid: 42\nurl: https://example.org/vest\npublished: 2026-11-20T08:30:00+01:00\nupdated: 2026-11-21\nauthor: Ана Анић\ncategory: Спорт\ntags: [тенис, Ђоковић]\nimage: https://example.org/a.jpg\n---\n${RAW}`,
    );
    assert.deepEqual(article.meta, {
      id: '42',
      url: 'https://example.org/vest',
      published: '2026-11-20T07:30:00Z',
      updated: '2026-11-21T00:00:00Z',
      author: 'Ана Анић',
      category: 'Спорт',
      tags: ['тенис', 'Ђоковић'],
      image: 'https://example.org/a.jpg',
    });
    assert.equal(article.category, 'Спорт');
  });

  it('reads .json articles with the same fields plus title, lead and body', () => {
    const article = parsed(
      'a.json',
      JSON.stringify({
        id: 'x',
        category: 'Економија',
        title: 'Наслов',
        lead: 'Увод',
        body: ['Један.', 'Два.'],
        tags: 'а, б',
      }),
    );
    assert.equal(article.title, 'Наслов');
    assert.deepEqual(article.paragraphs, ['Један.', 'Два.']);
    assert.deepEqual(article.meta.tags, ['а', 'б']);
  });

  it('explains what is wrong with a broken article', () => {
    assert.equal(rejection('a.txt', ''), 'empty file');
    assert.equal(rejection('a.txt', '\n\n  \n'), 'empty article: no text');
    assert.equal(rejection('a.txt', 'Свет\n\nНаслов\n\nУвод\n'), 'title but no body paragraphs');
    assert.match(
      rejection('a.txt', '---\nid: [\n---\nСвет'),
      /^front matter is not valid YAML: unexpected end of the stream within a flow collection at line 3, column 1$/,
    );
    assert.equal(rejection('a.txt', '---\nid: x\nСвет\n'), 'front matter opened with --- but never closed');
    assert.equal(
      rejection('a.txt', `---\npublished: јуче\n---\n${RAW}`),
      'front matter published: unparseable date: write a real date as 2026-03-01 or 2026-03-01T09:30:00+01:00 (ISO 8601)',
    );
    assert.equal(rejection('a.txt', `---\n- a\n---\n${RAW}`), 'front matter is not a key: value mapping');
    assert.match(rejection('a.json', '{"title": '), /^not valid JSON: /);
    assert.equal(
      rejection('a.json', '{"category":"С","title":"Н","lead":"У","body":[]}'),
      'JSON article body: title but no body paragraphs',
    );
  });

  it('names a missing part of a JSON article the way the raw layout does ("no lead")', () => {
    const complete = { category: 'Свет', title: 'Наслов', lead: 'Увод', body: ['Пасус.'] };
    for (const field of Object.keys(complete)) {
      const without = Object.fromEntries(Object.entries(complete).filter(([key]) => key !== field));
      assert.equal(
        rejection('a.json', JSON.stringify(without)),
        `no ${field}: the JSON article has no "${field}" field`,
      );
      assert.match(rejection('a.json', JSON.stringify({ ...complete, [field]: null })), new RegExp(`^no ${field}: `));
    }
    assert.equal(rejection('a.json', JSON.stringify({ ...complete, lead: '  ' })), 'JSON article lead: empty');
    assert.equal(rejection('a.json', '["Свет"]'), 'JSON article is not an object of fields');
  });
});
