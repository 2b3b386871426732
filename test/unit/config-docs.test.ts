import assert from 'node:assert/strict';
import fs from 'node:fs';
import dotenv from 'dotenv';
import { loadConfig } from '../../src/config.js';

const read = (file: string) => fs.readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
// The variables are the keys of the schema in src/config.ts, one per line.
const VARIABLES = [...read('src/config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((match) => match[1] as string);

describe('configuration documentation', () => {
  it('finds the variables config.ts reads', () => {
    assert.ok(VARIABLES.includes('PORT') && VARIABLES.includes('LOG_LEVEL'));
  });

  it('.env.example lists every variable, set to its default or commented out', () => {
    const example = read('.env.example');
    for (const variable of VARIABLES)
      assert.match(example, new RegExp(`^(# )?${variable}=`, 'm'), `${variable} is missing`);
    assert.deepEqual(loadConfig(dotenv.parse(example)), loadConfig({}));
  });

  it("README's configuration table lists every variable", () => {
    const readme = read('README.md');
    for (const variable of VARIABLES)
      assert.match(readme, new RegExp(`^\\| \`${variable}\` \\|`, 'm'), `${variable} is missing`);
  });
});
