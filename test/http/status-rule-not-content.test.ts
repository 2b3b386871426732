import assert from 'node:assert/strict';
import { rawRequest } from '../support/raw-http.js';
import { startTestService, type TestService } from '../support/service.js';

// Draft text an article file holds, which a rejection reason on the public /status must never quote.
const MARKER = 'SECRETDRAFT7c';
const body = `Наука\n\nНаслов\n\nУвод.\n\nПасус.\n`;
const json = (fields: Record<string, unknown>) =>
  JSON.stringify({ category: 'Наука', title: 'Наслов', lead: 'Увод.', body: 'Пасус.', ...fields });

const HOSTILE: Record<string, string> = {
  'json-syntax.json': `{"title": ${MARKER}}`,
  'json-syntax-long.json': `{"title": "x", ${MARKER.repeat(20)}}`,
  'json-trailing.json': `{"title": "x"} ${MARKER}`,
  'json-date.json': json({ published: MARKER }),
  'json-type.json': json({ title: { [MARKER]: MARKER } }),
  'json-url.json': json({ url: `https://x.test/${MARKER} space` }),
  'json-year.json': json({ published: `0500-01-01T00:00:00+00:00` }),
  'yaml-syntax.txt': `---\ntitle: [${MARKER}\n---\n${body}`,
  'yaml-alias.txt': `---\ntags: *${MARKER}\n---\n${body}`,
  'yaml-tag.txt': `---\ntitle: !${MARKER} x\n---\n${body}`,
  'yaml-tag-verbatim.txt': `---\ntitle: !<tag:${MARKER}> x\n---\n${body}`,
  'yaml-date.txt': `---\npublished: ${MARKER}\n---\n${body}`,
  'yaml-duplicate.txt': `---\n${MARKER}: 1\n${MARKER}: 2\n---\n${body}`,
  'yaml-mime.txt': `---\nimage_type: ${MARKER}\n---\n${body}`,
  'limit-title.txt': `Наука\n\n${MARKER}${'x'.repeat(1100)}\n\nУвод.\n\nПасус.\n`,
  'id-a.json': json({ id: MARKER }),
  'id-b.json': json({ id: MARKER }),
};

describe('rejection reasons on /status give the rule, never the draft text', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
    for (const [name, content] of Object.entries(HOSTILE)) service.write(name, content);
    await service.pass('2026-11-25T08:00:00Z');
  });
  after(() => service.close());

  it('rejects every hostile file, and no answer of /status, /status/rejected or /healthz holds the marker', async () => {
    const rejected = JSON.parse((await rawRequest(service.app, '/status/rejected')).body.toString()) as {
      files: Array<{ path: string; reason: string }>;
    };
    // id-a.json publishes; every other file is rejected, each with a reason.
    assert.deepEqual(
      rejected.files.map((file) => file.path).sort(),
      Object.keys(HOSTILE)
        .filter((name) => name !== 'id-a.json')
        .sort(),
    );
    for (const file of rejected.files) assert.ok(file.reason.length > 0, file.path);
    for (const route of ['/status', '/status/rejected', '/healthz']) {
      const answer = (await rawRequest(service.app, route)).body.toString();
      assert.ok(!answer.includes(MARKER), `${route} quotes the draft: ${answer}`);
      assert.ok(!answer.includes('0500-01-01'), `${route} quotes the date as written: ${answer}`);
    }
  });
});
