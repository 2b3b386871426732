import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has working defaults for every variable', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.baseUrl, 'http://localhost:3000');
    assert.equal(config.databaseUrl, 'sqlite:data/feed.db');
    assert.equal(config.normaliseCron, '*/5 * * * *');
    assert.equal(config.feedLimit, 50);
    assert.equal(config.siteLanguage, 'sr');
    assert.ok(config.articlesDir.endsWith('data/articles'));
    assert.ok(Object.isFrozen(config));
  });

  it('builds BASE_URL from PORT and strips a trailing slash', () => {
    assert.equal(loadConfig({ PORT: '8080' }).baseUrl, 'http://localhost:8080');
    assert.equal(loadConfig({ BASE_URL: 'https://vesti.example/' }).baseUrl, 'https://vesti.example');
    assert.equal(loadConfig({ BASE_URL: 'https://vesti.example/' }).tagAuthority, 'vesti.example,2026');
  });

  const bad: Array<[string, string]> = [
    ['PORT', 'http'],
    ['PORT', '70000'],
    ['BASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://x'],
    ['NORMALISE_CRON', 'every five minutes'],
    ['FEED_LIMIT', '0'],
    ['SITE_LANGUAGE', 'Serbian!'],
    ['TAG_AUTHORITY', 'example.org'],
    ['MAX_ARTICLE_BYTES', '-1'],
  ];
  for (const [variable, value] of bad) {
    it(`rejects ${variable}=${JSON.stringify(value)} with a message naming ${variable}`, () => {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.startsWith(`Invalid ${variable}:`),
      );
    });
  }
});
