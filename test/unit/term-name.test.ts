import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { createEditions, termName } from '../../src/feeds/edition.js';

const [cyrillic, latin] = createEditions(loadConfig({ LOG_LEVEL: 'silent' }));

describe('termName: each edition names a term in its own script', () => {
  it('takes the newest spelling in the edition script, whichever came first or last', () => {
    assert.equal(termName(cyrillic!, ['Ekonomija', 'Економија']), 'Економија');
    assert.equal(termName(cyrillic!, ['Економија', 'Ekonomija', 'ЕКОНОМИЈА']), 'Економија');
    assert.equal(termName(latin!, ['Економија', 'Ekonomija']), 'Ekonomija');
    assert.equal(termName(latin!, ['Ekonomija', 'Економија']), 'Ekonomija');
  });

  it('otherwise renders the newest spelling in the edition: Cyrillic to Latin, never Latin to Cyrillic', () => {
    assert.equal(termName(latin!, ['Њујорк', 'ЊУЈОРК']), 'Njujork');
    assert.equal(termName(cyrillic!, ['injekcija']), 'injekcija');
  });
});
