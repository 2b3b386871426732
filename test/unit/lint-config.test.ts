import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ESLint } from 'eslint';

const PROBE = 'test/fixtures/lint/promises.ts';

describe('the ESLint config', function () {
  // Type-aware linting builds a TypeScript program first.
  this.timeout(120_000);

  it('reports floating and misused promises and lets a deliberate `void` through', async () => {
    const expected = fs
      .readFileSync(PROBE, 'utf8')
      .split('\n')
      .flatMap((line, index) => {
        const rule = /\/\/ lint: (\S+)$/.exec(line)?.[1];
        return rule ? [`${index + 1} ${rule}`] : [];
      });
    const [result] = await new ESLint({ ignore: false }).lintFiles([PROBE]);
    assert.ok(result);
    assert.deepEqual(
      result.messages.map((message) => `${message.line} ${message.ruleId ?? message.message}`),
      expected,
    );
  });
});
