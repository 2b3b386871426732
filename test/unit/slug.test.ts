import assert from 'node:assert/strict';
import { SlugAllocator, slugify, uniqueSlug } from '../../src/entries/slug.js';
import { cyrillicToLatin } from '../../src/entries/transliterate.js';

describe('slugs from Serbian Cyrillic', () => {
  it('transliterates every Serbian letter, digraphs included', () => {
    assert.equal(
      cyrillicToLatin('Љиљана Њушка Џеп Ђорђе Ћуприја Чачак Жича Шабац'),
      'Ljiljana Njuška Džep Đorđe Ćuprija Čačak Žiča Šabac',
    );
    assert.equal(cyrillicToLatin('абвгдђежзијклљмнњопрстћуфхцчџш'), 'abvgdđežzijklljmnnjoprstćufhcčdžš');
  });

  it('keeps all-caps digraphs all caps and leaves Latin text alone', () => {
    assert.equal(cyrillicToLatin('ЉУБАВ и Real Madrid'), 'LJUBAV i Real Madrid');
  });

  it('folds to ASCII for URLs', () => {
    assert.equal(slugify('Русија'), 'rusija');
    assert.equal(slugify('Ђоковић: Џудо & Шах!'), 'djokovic-dzudo-sah');
    assert.equal(slugify('Економија'), 'ekonomija');
  });

  it('caps the length at a word boundary and falls back when nothing is left', () => {
    const slug = slugify('реч '.repeat(100));
    assert.ok(slug.length <= 80 && !slug.endsWith('-'));
    assert.equal(slugify('!!!'), 'article');
  });

  it('makes slugs unique with a numeric suffix', () => {
    const taken = new Set(['vest', 'vest-2']);
    assert.equal(uniqueSlug('vest', (slug) => taken.has(slug)).slug, 'vest-3');
    assert.equal(uniqueSlug('druga', (slug) => taken.has(slug)).slug, 'druga');
  });

  it('allocates n slugs of one base with one read of the store and n steps, not n² (8,000 files with one title)', async () => {
    const reads: string[] = [];
    let probes = 0;
    const stored = new Set(['vest', 'vest-2', 'vest-5']);
    const allocator = new SlugAllocator(async (bases) => {
      reads.push(...bases);
      return new Map(bases.map((base) => [base, stored]));
    });
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with .call(this) and put back
    const originalHas = Set.prototype.has;
    const given: string[] = [];
    Set.prototype.has = function (this: Set<unknown>, value: unknown) {
      probes += 1;
      return originalHas.call(this, value);
    };
    try {
      for (let index = 0; index < 8000; index += 1) {
        await allocator.prepare(['vest']);
        given.push(allocator.allocate('vest'));
      }
    } finally {
      Set.prototype.has = originalHas;
    }
    assert.deepEqual(reads, ['vest']);
    assert.deepEqual(given.slice(0, 4), ['vest-3', 'vest-4', 'vest-6', 'vest-7']);
    assert.equal(new Set(given).size, 8000);
    assert.ok(!given.some((slug) => stored.has(slug)));
    assert.ok(probes < 8000 * 6, `${probes} membership tests for 8,000 slugs`);
  });

  it('keeps a bounded number of bases in memory, reading an evicted one again from what the store has written', async () => {
    const written = new Set<string>();
    const reads: string[] = [];
    const allocator = new SlugAllocator(async (bases) => {
      reads.push(...bases);
      return new Map(
        bases.map((base) => [base, [...written].filter((slug) => slug === base || slug.startsWith(`${base}-`))]),
      );
    });
    let allocations = 0;
    const allocate = async (base: string) => {
      await allocator.prepare([base]);
      const slug = allocator.allocate(base);
      written.add(slug);
      allocations += 1;
      return slug;
    };
    assert.deepEqual([await allocate('vest'), await allocate('vest')], ['vest', 'vest-2']);
    // A title that slugifies to another's suffixed slug is told apart while both are in memory.
    assert.equal(await allocate('vest-2'), 'vest-2-2');
    for (let index = 0; index < 12_000; index += 1) await allocate(`naslov-${index}x`);
    assert.equal(reads.filter((base) => base === 'vest').length, 1);
    assert.equal(await allocate('vest'), 'vest-3', 'read again, and unique against what was written');
    assert.equal(reads.filter((base) => base === 'vest').length, 2, 'the base had been let go');
    assert.equal(written.size, allocations, 'every slug given out is unique');
  });
});
