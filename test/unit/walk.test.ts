import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { ArticleFile } from '../../src/articles/scan.js';
import { comparePaths } from '../../src/articles/path-order.js';
import { outermostPaths, walkArticleFiles, type WalkRun } from '../../src/articles/walk.js';
import type { FolderLister } from '../../src/articles/folder-listing.js';
import { ListingPool } from '../../src/jobs/listing-pool.js';

/** The order SQLite (BINARY) and PostgreSQL (COLLATE "C") give `ORDER BY path`: UTF-8 bytes. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const sortedByBytes = (paths: readonly string[]) => [...paths].sort(byteOrder);

const fromCodePoint = (codePoint: number) => String.fromCodePoint(codePoint);
// The characters where UTF-16 code unit order and code point order part: astral characters (surrogate pairs,
// D800–DFFF) against U+E000–U+FFFF, plus the separators that decide where a folder's files sort.
const pathUnit = fc.oneof(
  fc.constantFrom('/', '.', '-', '0', 'a', 'Z', 'é', 'ж', '\uD7FF', '\uE000', '\uFFFD', '\uFFFF', '😀', '\u{10FFFF}'),
  fc.integer({ min: 0xe000, max: 0xffff }).map(fromCodePoint),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map(fromCodePoint),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const pathText = fc.string({ unit: pathUnit, maxLength: 6 });

async function walked(root: string, roots?: readonly string[], lister?: FolderLister) {
  const walk = walkArticleFiles(root, roots, lister);
  const files: ArticleFile[] = [];
  const leaves: Array<WalkRun['leaf']> = [];
  for await (const run of walk.files) {
    files.push(...run.files);
    leaves.push(run.leaf);
  }
  return { files, strays: walk.strays, leaves };
}

function writeTree(root: string, names: readonly string[]): void {
  for (const name of names) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'Србија\n\nНаслов\n\nУвод.\n\nПасус.\n');
  }
}

describe('comparePaths', () => {
  it('orders any two paths as their UTF-8 bytes do (astral and U+E000–U+FFFF characters included)', () => {
    // A shared prefix makes the strings differ deep inside, where a surrogate pair meets a BMP character.
    const pairs = fc.tuple(pathText, pathText, pathText).map(([prefix, a, b]) => [prefix + a, prefix + b] as const);
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        assert.equal(Math.sign(comparePaths(a, b)), Math.sign(byteOrder(a, b)), JSON.stringify([a, b]));
      }),
      { numRuns: 5000 },
    );
  });

  it('puts U+E000 and U+FFFD before an astral character, which UTF-16 order puts after them', () => {
    // The case a plain `a < b` gets wrong; spelled out so that the failure reads without a shrunk counterexample.
    assert.ok(comparePaths('\uE000', '😀') < 0);
    assert.ok(comparePaths('\uFFFD.txt', '😀.txt') < 0);
    assert.ok(comparePaths('a/😀', 'a/\uFFFF') > 0);
    assert.ok(comparePaths('a', 'a/b') < 0 && comparePaths('a-b', 'a/b') < 0 && comparePaths('a.txt', 'a/b') < 0);
  });
});

describe('walkArticleFiles', () => {
  let base: string;
  let root: string;
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-walk-test-'));
    root = path.join(base, 'articles');
    fs.mkdirSync(root);
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  // Names around the folder separator ('-' and '.' sort before '/', '0' after it), in scripts and planes whose
  // UTF-16 order differs from their byte order, and names the walk must leave out.
  const ARTICLES = [
    'a.txt',
    'a/x.txt',
    'a/y.json',
    'a/😀.json',
    'a/nested/z.txt',
    'a-b/x.txt',
    'a.b/x.txt',
    'a0.txt',
    'b.txt',
    'Z.TXT',
    'вести/чланак.txt',
    'ђак.txt',
    '😀.txt',
    '😀/в.txt',
    '\uFFFD.txt',
    '\uE000.txt',
    'x\uE000y/w.txt',
  ];
  const NOT_ARTICLES = ['b.md', 'a/image.png', '.hidden.txt', 'a/.draft.txt', '.git/config.txt', 'a/.cache/c.json'];

  it('yields every article file, and only those, in UTF-8 byte order of their paths', async () => {
    writeTree(root, [...ARTICLES, ...NOT_ARTICLES]);
    const { files, strays } = await walked(root);
    assert.deepEqual(
      files.map((file) => file.path),
      sortedByBytes(ARTICLES),
    );
    for (const file of files) assert.equal(file.absolute, path.join(root, file.path));
    assert.deepEqual(strays, []);
  });

  it('names a file whose name is not in NFC by its NFC spelling, and sorts it there', async () => {
    writeTree(root, ['cafe\u0301.txt', 'cafe.txt', 'caff.txt', 'cafg.txt']);
    const { files } = await walked(root);
    assert.deepEqual(
      files.map((file) => file.path),
      ['cafe.txt', 'caff.txt', 'cafg.txt', 'caf\u00e9.txt'],
    );
    assert.equal(files[3]!.absolute, path.join(root, 'cafe\u0301.txt'));
  });

  it('walks two folders whose names are one in NFC as one folder, and returns a twin file apart', async () => {
    writeTree(root, ['\u00e9/1.txt', 'e\u0301/2.txt', '\u00e9/3.txt', '\u00f6.txt', 'o\u0308.txt', 'z.txt']);
    const { files, strays } = await walked(root);
    assert.deepEqual(
      files.map((file) => file.path),
      ['z.txt', '\u00e9/1.txt', '\u00e9/2.txt', '\u00e9/3.txt', '\u00f6.txt'],
    );
    assert.deepEqual(
      files.map((file) => file.rejection),
      [undefined, undefined, undefined, undefined, undefined],
    );
    assert.deepEqual(
      strays.map((stray) => stray.path),
      ['o\u0308.txt'],
    );
    assert.match(strays[0]!.rejection ?? '', /differs from .* only in Unicode normalisation/);
  });

  it('walks the same with folders listed on worker threads ahead of it: files, stamps, twins, leaves', async () => {
    const folders = Array.from({ length: 30 }, (_, index) => `f${index}`);
    writeTree(root, [
      ...ARTICLES,
      ...NOT_ARTICLES,
      ...folders.flatMap((folder) => [`${folder}/1.txt`, `${folder}/2.json`, `${folder}/deeper/3.txt`]),
      '\u00e9/1.txt',
      'e\u0301/2.txt',
      '\u00f6.txt',
      'o\u0308.txt',
    ]);
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'f3', 'linked'));
    const inThread = await walked(root);
    const pool = new ListingPool({ workers: 2, startAfterNames: 0 });
    try {
      await pool.start();
      const ahead = await walked(root, undefined, pool.lister());
      assert.deepEqual(ahead, inThread);
      assert.ok(pool.listedAhead > 30, `only ${pool.listedAhead} folders were listed ahead`);
      assert.ok(inThread.leaves.filter(Boolean).length > 30);
      assert.ok(inThread.files.some((file) => file.rejection?.includes('symlink to a folder')));
    } finally {
      await pool.close();
    }
  });

  it('given roots, yields the files of those files and folders only, in byte order, skipping missing and hidden ones', async () => {
    writeTree(root, [...ARTICLES, ...NOT_ARTICLES]);
    const roots = ['b.txt', 'a', 'a-b/x.txt', '😀', 'missing.txt', 'gone/', '.git', '.hidden.txt', 'a/.cache', 'b.md'];
    const { files, strays } = await walked(root, roots);
    const expected = ARTICLES.filter(
      (name) => name === 'b.txt' || name.startsWith('a/') || name === 'a-b/x.txt' || name.startsWith('😀/'),
    );
    assert.deepEqual(
      files.map((file) => file.path),
      sortedByBytes(expected),
    );
    assert.deepEqual(strays, []);
  });

  it('given a root that leads out of ARTICLES_DIR, never follows it', async () => {
    writeTree(root, ['b.txt']);
    // Real files outside ARTICLES_DIR, so that following such a root would find something.
    writeTree(base, ['x.txt', 'outside/y.txt']);
    const { files } = await walked(root, ['../x.txt', '../outside', 'b.txt', 'a/../../x.txt']);
    assert.deepEqual(
      files.map((file) => file.path),
      ['b.txt'],
    );
  });
});

describe('outermostPaths', () => {
  it('drops paths that lie under another given path, and keeps siblings that only share a prefix', () => {
    assert.deepEqual(outermostPaths(['a/b.txt', 'a', 'a-b', 'a.txt', 'ab/c.txt', 'a/c/d.txt']), [
      'a',
      'a-b',
      'a.txt',
      'ab/c.txt',
    ]);
    assert.deepEqual(outermostPaths(['x/y/z.txt', 'x/y', 'x/yz.txt']), ['x/y', 'x/yz.txt']);
  });

  it('gives a path named twice once', () => {
    assert.deepEqual(outermostPaths(['a.txt', 'b', 'a.txt', 'b', 'b/c.txt']), ['a.txt', 'b']);
  });

  it('adds the NFC spelling of a path not in NFC, and drops what lies under either spelling', () => {
    assert.deepEqual(
      new Set(outermostPaths(['e\u0301', '\u00e9/x.txt', 'e\u0301/y.txt'])),
      new Set(['e\u0301', '\u00e9']),
    );
  });
});
