import assert from 'node:assert/strict';
import { renderContentHtml } from '../../src/entries/content-html.js';
import { SEED_FILE, startTestService, type TestService } from '../support/service.js';
import fs from 'node:fs';
import path from 'node:path';

const SEED = path.resolve('data/articles', SEED_FILE);

describe('the seed article', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
    fs.copyFileSync(SEED, path.join(service.articlesDir, SEED_FILE));
    await service.pass('2026-11-20T10:00:00Z');
  });
  after(() => service.close());

  it('becomes exactly one entry in the store, filed under Русија', async () => {
    const entries = await service.store.listEntries({}, 10, 0);
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0]?.category, { name: 'Русија', slug: 'rusija' });
  });

  it('keeps the exact title and lead', async () => {
    const [entry] = await service.store.listEntries({}, 1, 0);
    assert.equal(
      entry?.title,
      'Белоусов у Казахстану: Односи Москве и Астане су основа стабилности у Централној Азији',
    );
    assert.equal(
      entry.summary,
      'Руски министар одбране је истакао да је ситуација у свету изузетно тешка и да тежи даљем погоршању',
    );
  });

  it('has eight body paragraphs, none of them the `image` placeholder or the photo line', async () => {
    const [entry] = await service.store.listEntries({}, 1, 0);
    assert.equal(entry?.paragraphs.length, 8);
    assert.ok(entry.paragraphs[0]?.startsWith('Интеракција Русије и Казахстана'));
    assert.ok(entry.paragraphs[7]?.startsWith('Министарство одбране Русије саопштило'));
    for (const paragraph of entry.paragraphs) {
      assert.notEqual(paragraph, 'image');
      assert.ok(!paragraph.includes('globallookpress'), paragraph);
    }
    assert.ok(!renderContentHtml(entry).includes('<p>image</p>'));
  });

  it('keeps the photo credit split into source and photographer, without the glued title', async () => {
    const [entry] = await service.store.listEntries({}, 1, 0);
    assert.deepEqual(entry?.credit, { source: 'www.globallookpress.com', name: 'Alexei Druzhinin/ZUMAPRESS.com' });
    assert.match(
      renderContentHtml(entry),
      /<p><small>Фото: www\.globallookpress\.com © Alexei Druzhinin\/ZUMAPRESS\.com<\/small><\/p>/,
    );
    assert.ok(!renderContentHtml(entry).includes('Азијиwww'));
  });

  it('is published at the time the job first saw it, with a slug transliterated from the title', async () => {
    const [entry] = await service.store.listEntries({}, 1, 0);
    assert.equal(entry?.published, '2026-11-20T10:00:00Z');
    assert.equal(entry.updated, '2026-11-20T10:00:00Z');
    assert.equal(entry.slug, 'belousov-u-kazahstanu-odnosi-moskve-i-astane-su-osnova-stabilnosti-u-centralnoj');
    assert.equal(entry.key, SEED_FILE);
  });
});
