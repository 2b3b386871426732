import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';

function messageFor(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  assert.fail(`${JSON.stringify(env)} was accepted`);
}

describe('configuration messages', () => {
  const integers: Array<[string, number, number]> = [
    ['PORT', 1, 65535],
    ['FEED_LIMIT', 1, 200],
    ['MAX_ARTICLE_BYTES', 1, 1024 ** 3],
    ['CACHE_MAX_AGE', 0, 31_536_000],
    ['WEBSUB_RETRY_MS', 1, 3_600_000],
    ['IMAGE_PROBE_TIMEOUT_MS', 0, 60_000],
  ];
  for (const [variable, min, max] of integers)
    it(`says what ${variable} allows, whatever is wrong with the value`, () => {
      for (const value of ['abc', '1.5', String(min - 1), String(max + 1)])
        assert.equal(
          messageFor({ [variable]: value }),
          `Invalid ${variable}: must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`,
        );
    });

  it('says what MAX_RETRACT_FRACTION allows', () => {
    for (const value of ['half', '-0.1', '1.5'])
      assert.equal(
        messageFor({ MAX_RETRACT_FRACTION: value }),
        `Invalid MAX_RETRACT_FRACTION: must be a number from 0 to 1 (got ${JSON.stringify(value)})`,
      );
    assert.equal(loadConfig({ MAX_RETRACT_FRACTION: '0.2' }).maxRetractFraction, 0.2);
    assert.equal(loadConfig({}).maxRetractFraction, 0.5);
  });

  it('refuses a cron step outside its field, as it refuses the value itself', () => {
    assert.match(messageFor({ NORMALISE_CRON: '61 * * * *' }), /^Invalid NORMALISE_CRON: /);
    assert.match(
      messageFor({ NORMALISE_CRON: '*/61 * * * *' }),
      /^Invalid NORMALISE_CRON: the minute step \/61 must be from 1 to 59 /,
    );
    assert.match(
      messageFor({ NORMALISE_CRON: '0 */24 * * *' }),
      /^Invalid NORMALISE_CRON: the hour step \/24 must be from 1 to 23 /,
    );
    assert.match(
      messageFor({ NORMALISE_CRON: '*/90 * * * * *' }),
      /^Invalid NORMALISE_CRON: the second step \/90 must be from 1 to 59 /,
    );
    assert.match(
      messageFor({ NORMALISE_CRON: '0 0 1 1-12/13 *' }),
      /^Invalid NORMALISE_CRON: the month step \/13 must be from 1 to 12 /,
    );
  });

  it('still accepts steps that fit their fields', () => {
    for (const expression of ['*/59 * * * *', '0 */2 * * *', '*/30 * * * * *', '0 0 */31 * *', '1-30/5 * * * *'])
      assert.equal(loadConfig({ NORMALISE_CRON: expression }).normaliseCron, expression);
  });
});
