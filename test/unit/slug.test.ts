import assert from 'node:assert/strict';
import { slugify, uniqueSlug } from '../../src/entries/slug.js';
import { cyrillicToLatin } from '../../src/entries/transliterate.js';

describe('slugs from Serbian Cyrillic', () => {
  it('transliterates every Serbian letter, digraphs included', () => {
    assert.equal(cyrillicToLatin('Љиљана Њушка Џеп Ђорђе Ћуприја Чачак Жича Шабац'), 'Ljiljana Njuška Džep Đorđe Ćuprija Čačak Žiča Šabac');
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
    assert.equal(uniqueSlug('vest', (slug) => taken.has(slug)), 'vest-3');
    assert.equal(uniqueSlug('druga', (slug) => taken.has(slug)), 'druga');
  });
});
