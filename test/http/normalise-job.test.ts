import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { readWithFeedsmith } from '../support/third-party.js';
import { startTestService, writeArticles, type TestService } from '../support/service.js';

const ARTICLE = (title: string, body = 'Први пасус текста.') => `Србија\n\n${title}\n\nКратак увод у вест\n\n${body}\n`;

const OWN_ARTICLES = 5;

async function siteItems(service: TestService) {
  const response = await request(service.app).get('/feed.json').expect(200);
  return (await readWithFeedsmith(response.text, 'json')).items;
}

describe('the normalise job', () => {
  let service: TestService;
  beforeEach(async () => {
    service = await startTestService();
    writeArticles(service, OWN_ARTICLES, { categories: ['Србија', 'Свет'] });
  });
  afterEach(() => service.close());

  it('publishes every article on the first pass', async () => {
    const summary = await service.pass('2026-11-25T08:00:00Z');
    assert.equal(summary.scanned, OWN_ARTICLES);
    assert.equal(summary.new, OWN_ARTICLES);
    assert.equal(summary.rejected, 0);
    assert.equal((await siteItems(service)).length, OWN_ARTICLES);
  });

  it('writes nothing on a second pass over unchanged files, and serves the same bytes', async () => {
    await service.pass('2026-11-25T08:00:00Z');
    const before = await request(service.app).get('/rss.xml').expect(200);
    const version = await service.store.version();
    const summary = await service.pass('2026-11-25T08:05:00Z');
    assert.deepEqual(
      { new: summary.new, updated: summary.updated, retracted: summary.retracted, rejected: summary.rejected },
      { new: 0, updated: 0, retracted: 0, rejected: 0 },
    );
    assert.equal(summary.unchanged, summary.scanned);
    assert.equal(await service.store.version(), version);
    const after = await request(service.app).get('/rss.xml').expect(200);
    assert.equal(after.text, before.text);
    assert.equal(after.headers.etag, before.headers.etag);
  });

  it('reports a rejected file with its reason, leaves it untouched and still publishes the others', async () => {
    const broken = service.write('broken.txt', 'Србија\n\nНаслов без икаквог текста\n');
    const bytesBefore = fs.readFileSync(broken);
    const statBefore = fs.statSync(broken);
    const summary = await service.pass('2026-11-25T08:00:00Z');
    assert.deepEqual(summary.rejectedFiles, [
      { path: 'broken.txt', reason: 'no lead: expected a lead paragraph after the title' },
    ]);
    assert.deepEqual(fs.readFileSync(broken), bytesBefore);
    assert.equal(fs.statSync(broken).mtimeMs, statBefore.mtimeMs);
    assert.equal(summary.new, OWN_ARTICLES);
    const status = await request(service.app).get('/status').expect(200);
    assert.deepEqual(status.body.lastPass.rejectedFiles, summary.rejectedFiles);
    assert.equal(status.body.lastPass.rejected, 1);
  });

  it('keeps the id of an edited article and moves its updated date', async () => {
    const file = service.write('nova.txt', ARTICLE('Стари наслов'));
    await service.pass('2026-11-25T08:00:00Z');
    const before = (await siteItems(service)).find((item) => item.title === 'Стари наслов');
    fs.writeFileSync(file, ARTICLE('Нови наслов', 'Измењен текст.'));
    const summary = await service.pass('2026-11-25T09:30:00Z');
    assert.equal(summary.updated, 1);
    const after = (await siteItems(service)).find((item) => item.title === 'Нови наслов');
    assert.ok(before && after);
    assert.equal(after.id, before.id);
    assert.equal(after.link, before.link, 'the article keeps the URL it was first published under');
    assert.equal(after.published, '2026-11-25T08:00:00Z');
    assert.equal(after.updated, '2026-11-25T09:30:00Z');
  });

  it('retracts the entry of a removed file', async () => {
    const file = service.write('prolazna.txt', ARTICLE('Пролазна вест'));
    await service.pass('2026-11-25T08:00:00Z');
    assert.ok((await siteItems(service)).some((item) => item.title === 'Пролазна вест'));
    fs.rmSync(file);
    const summary = await service.pass('2026-11-25T08:05:00Z');
    assert.equal(summary.retracted, 1);
    assert.ok(!(await siteItems(service)).some((item) => item.title === 'Пролазна вест'));
  });

  it('keeps the last good entry of a file that an edit broke, and reports the file', async () => {
    const file = service.write('kvar.txt', ARTICLE('Добра верзија'));
    await service.pass('2026-11-25T08:00:00Z');
    fs.writeFileSync(file, '---\npublished: [не датум\n---\n');
    const summary = await service.pass('2026-11-25T08:05:00Z');
    assert.equal(summary.rejectedFiles[0]?.path, 'kvar.txt');
    assert.match(summary.rejectedFiles[0].reason, /front matter/);
    assert.ok((await siteItems(service)).some((item) => item.title === 'Добра верзија'));
  });

  it('gives an id claimed by two files to the one seen first and rejects the other', async () => {
    service.write('prvi.txt', `---\nid: isti-id\n---\n${ARTICLE('Први')}`);
    await service.pass('2026-11-25T08:00:00Z');
    service.write('drugi.txt', `---\nid: isti-id\n---\n${ARTICLE('Други')}`);
    const summary = await service.pass('2026-11-25T08:05:00Z');
    assert.deepEqual(summary.rejectedFiles, [{ path: 'drugi.txt', reason: 'its id is already used by prvi.txt' }]);
    assert.deepEqual(summary.warnings, [
      { path: 'prvi.txt', message: 'keeps its id; drugi.txt claims it too and was rejected' },
    ]);
    const titles = (await siteItems(service)).map((item) => item.title);
    assert.ok(titles.includes('Први') && !titles.includes('Други'));
  });

  it('republishes under the new id when an edit changes the front matter id, retracting the old one', async () => {
    const file = service.write('preimenovana.txt', `---\nid: stari-id\n---\n${ARTICLE('Вест са старим id')}`);
    await service.pass('2026-11-25T08:00:00Z');
    fs.writeFileSync(file, `---\nid: novi-id\n---\n${ARTICLE('Вест са новим id')}`);
    await service.pass('2026-11-25T08:05:00Z');
    const ids = (await siteItems(service)).map((item) => item.id);
    assert.ok(ids.includes('tag:feeds.example.test,2026:article/novi-id'));
    assert.ok(!ids.includes('tag:feeds.example.test,2026:article/stari-id'));
  });

  it('publishes a large pass (parsed on worker threads) exactly like a small one', async () => {
    const count = 400;
    for (let index = 0; index < count; index += 1)
      service.write(
        `velika/${String(index).padStart(4, '0')}.txt`,
        ARTICLE(`Вест број ${index}`, `Текст вести број ${index}.`),
      );
    const summary = await service.pass('2026-11-25T08:00:00Z');
    assert.equal(summary.new, count + OWN_ARTICLES);
    assert.equal(summary.rejected, 0);
    const last = await service.store.findEntryBySlug('vest-broj-399');
    assert.equal(last?.key, 'velika/0399.txt');
    assert.deepEqual(last.paragraphs, ['Текст вести број 399.']);
    assert.equal(last.title, 'Вест број 399');
    assert.equal(await service.store.countEntries({}), summary.new);
  });

  it('never modifies, moves or deletes an article file', async () => {
    const snapshot = () =>
      fs.readdirSync(service.articlesDir).map((name) => {
        const file = path.join(service.articlesDir, name);
        return [name, fs.readFileSync(file).toString('base64'), fs.statSync(file).mtimeMs];
      });
    const before = snapshot();
    await service.pass('2026-11-25T08:00:00Z');
    await service.pass('2026-11-25T08:05:00Z');
    assert.deepEqual(snapshot(), before);
  });
});
