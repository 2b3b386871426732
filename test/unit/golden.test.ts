import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rawRequest } from '../support/raw-http.js';
import { startTestService, type TestService } from '../support/service.js';

// A fixed fixture set rendered into committed files: any change in output shows up as a reviewable diff.
// `UPDATE_GOLDEN=1 npx mocha test/unit/golden.test.ts` rewrites the expected files after an intended change.
const ARTICLES = fileURLToPath(new URL('../fixtures/golden/articles', import.meta.url));
const EXPECTED = fileURLToPath(new URL('../fixtures/golden/expected', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const EDITIONS = [
  { name: '', prefix: '' },
  { name: 'lat.', prefix: '/lat' },
];
// The podcast category and a tag shared by several articles, so the documents use every namespace.
const SCOPES = [
  { name: 'site', path: '' },
  { name: 'category-sport', path: '/categories/sport' },
  { name: 'tag-metro', path: '/tags/metro' },
];
const FILES = ['rss.xml', 'atom.xml', 'feed.json'];

describe('golden files of the fixed fixture set', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService({
      articles: ARTICLES,
      env: {
        PODCAST_CATEGORIES: 'sport',
        PODCAST_IMAGE: 'https://example.org/podkast/omot.jpg',
        PODCAST_OWNER_EMAIL: 'urednik@example.org',
      },
    });
    const summary = await service.pass('2026-11-20T12:00:00Z');
    assert.deepEqual(summary.rejectedFiles, []);
    if (UPDATE) fs.mkdirSync(EXPECTED, { recursive: true });
  });
  after(() => service.close());

  for (const edition of EDITIONS)
    for (const scope of SCOPES)
      for (const file of FILES) {
        const url = `${edition.prefix}${scope.path}/${file}`;
        const expectedFile = `${EXPECTED}/${edition.name}${scope.name}.${file}`;
        it(`${url} is byte for byte ${expectedFile.slice(EXPECTED.length + 1)}`, async () => {
          const response = await rawRequest(service.app, url);
          assert.equal(response.status, 200);
          if (UPDATE) fs.writeFileSync(expectedFile, response.body);
          assert.equal(
            response.body.toString('utf8'),
            fs.readFileSync(expectedFile, 'utf8'),
            `${url} differs; UPDATE_GOLDEN=1 rewrites after an intended change`,
          );
        });
      }
});
