import assert from 'node:assert/strict';
import { redactPaths } from '../../src/http/redact.js';

describe('redacting paths in what /status and /healthz say', () => {
  it('keeps paths relative to ARTICLES_DIR whole: folders, dots, Unicode names', () => {
    for (const relative of [
      'rt/bomb.json',
      'a/b/c/vest.2026.txt',
      'вести/Србија/чланак.txt',
      '日本/記事.md',
      'x/.hidden',
    ])
      for (const message of [
        relative,
        `${relative}: took too long to parse`,
        `a parse worker stopped on ${relative} (JS heap out of memory)`,
        `'${relative}'`,
        `(${relative})`,
      ])
        assert.equal(redactPaths(message), message);
  });

  it('hides absolute paths, wherever they stand in a message', () => {
    const cases: Array<[string, string]> = [
      ['/tmp/feed-x/rt/bomb.json', '<path>'],
      [
        "ENOENT: no such file or directory, open '/home/ana/вести/a.txt'",
        "ENOENT: no such file or directory, open '<path>'",
      ],
      ['ARTICLES_DIR /srv/articles does not exist', 'ARTICLES_DIR <path> does not exist'],
      ['cannot be listed (EACCES /srv/articles/rt)', 'cannot be listed (EACCES <path>)'],
      ['the database file /var/lib/feed/feed.db was deleted', 'the database file <path> was deleted'],
      ['path=/etc/x,other', 'path=<path>,other'],
    ];
    for (const [message, redacted] of cases) assert.equal(redactPaths(message), redacted);
  });
});
