/**
 * Self-test for test/support/third-party.ts (not a mocha test).
 *   cd /work/main && npx tsx test/support/third-party.selftest.ts
 *
 * Builds hand-written RSS 2.0 / Atom 1.0 / JSON Feed 1.1 documents in the shapes
 * our service publishes, runs every exported function, prints what each reader
 * returned and asserts that the texts round-trip exactly — except for the
 * reader quirks listed in KNOWN_DEVIATIONS, which are asserted as-is so that a
 * library upgrade that changes them is noticed.
 */
import assert from 'node:assert/strict';

import {
  assertValidAtom,
  assertValidJsonFeed11,
  assertWellFormedXml,
  readWithAll,
  readWithFeedParser,
  readWithFeedsmith,
  readWithRssParser,
  type FeedFormat,
  type ReadFeed,
  type ReadItem,
} from './third-party.js';

// ---------------------------------------------------------------------------
// sample data (the "truth")

const FEED_TITLE = 'Вести — Свет & Србија';
const LANG = 'sr';

interface Sample {
  id: string;
  slug: string;
  title: string;
  lead: string;
  html: string;
  link: string;
  categories: Array<{ term: string; label: string }>;
  published: string; // expected, normalised
  updated: string; // expected, normalised
  rfc822: string; // RSS pubDate as written
  atomPublished: string; // Atom <published> as written
  atomUpdated: string;
}

const ITEMS: Sample[] = [
  {
    id: 'tag:example.rs,2026:article/1001',
    slug: 'belousov',
    title: 'Белоусов у Казахстану: Односи Москве и Астане',
    lead: 'Министар одбране Русије Андреј Белоусов допутовао је у Астану — „разговори о сарадњи“.',
    html: '<p>Министар <b>Белоусов</b> &amp; делегација.</p>',
    link: 'https://example.rs/svet/2026/11/20/belousov-u-kazahstanu',
    categories: [
      { term: 'rusija', label: 'Русија' },
      { term: 'kazahstan', label: 'Казахстан' },
    ],
    published: '2026-11-20T07:30:00Z',
    updated: '2026-11-20T09:15:00Z',
    rfc822: 'Fri, 20 Nov 2026 07:30:00 GMT',
    atomPublished: '2026-11-20T07:30:00Z',
    atomUpdated: '2026-11-20T09:15:00Z',
  },
  {
    id: 'tag:example.rs,2026:article/1002',
    slug: 'escaping',
    // literal "&amp;", a <script> tag and "]]>" twice
    title: 'Tom &amp; Jerry <script>alert("x")</script> ]]> и опет ]]>',
    lead: 'A < B && C > D; "quoted" \'single\' ]]>',
    html: '<p>x ]]&gt; y</p><script>alert(1)</script>',
    link: 'https://example.rs/test/2026/11/19/escaping',
    categories: [{ term: 'test', label: 'Test & Проба' }],
    published: '2026-11-19T22:05:00Z',
    updated: '2026-11-20T07:30:00Z',
    rfc822: 'Thu, 19 Nov 2026 23:05:00 +0100', // offset on purpose: must normalise to UTC
    atomPublished: '2026-11-19T23:05:00+01:00',
    atomUpdated: '2026-11-20T07:30:00Z',
  },
];

const SELF = { rss: 'https://example.rs/feed.rss', atom: 'https://example.rs/feed.atom', json: 'https://example.rs/feed.json' };

// ---------------------------------------------------------------------------
// documents

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const rssDoc = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${esc(FEED_TITLE)}</title>
    <link>https://example.rs/</link>
    <description>Најновије вести</description>
    <language>${LANG}</language>
    <atom:link rel="self" href="${SELF.rss}" type="application/rss+xml"/>
${ITEMS.map(
  (it) => `    <item>
      <title>${esc(it.title)}</title>
      <link>${esc(it.link)}</link>
      <guid isPermaLink="false">${esc(it.id)}</guid>
      <pubDate>${it.rfc822}</pubDate>
      <description>${esc(it.lead)}</description>
      <content:encoded>${esc(it.html)}</content:encoded>
${it.categories.map((c) => `      <category domain="https://example.rs/kategorija/">${esc(c.label)}</category>`).join('\n')}
      <dc:creator>Редакција</dc:creator>
    </item>`,
).join('\n')}
  </channel>
</rss>
`;

function atomDoc(opts: { omitFeedId?: boolean } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${LANG}">
${opts.omitFeedId ? '' : '  <id>tag:example.rs,2026:feed</id>\n'}  <title type="text">${esc(FEED_TITLE)}</title>
  <updated>2026-11-20T09:15:00Z</updated>
  <author><name>Редакција</name></author>
  <link rel="self" type="application/atom+xml" href="${SELF.atom}"/>
  <link rel="alternate" type="text/html" href="https://example.rs/"/>
${ITEMS.map(
  (it) => `  <entry>
    <id>${esc(it.id)}</id>
    <title type="text">${esc(it.title)}</title>
    <summary type="text">${esc(it.lead)}</summary>
    <content type="html">${esc(it.html)}</content>
    <published>${it.atomPublished}</published>
    <updated>${it.atomUpdated}</updated>
${it.categories.map((c) => `    <category term="${esc(c.term)}" label="${esc(c.label)}" scheme="https://example.rs/kategorija/"/>`).join('\n')}
    <link rel="alternate" type="text/html" href="${esc(it.link)}"/>
  </entry>`,
).join('\n')}
</feed>
`;
}

const jsonObj = {
  version: 'https://jsonfeed.org/version/1.1',
  title: FEED_TITLE,
  home_page_url: 'https://example.rs/',
  feed_url: SELF.json,
  language: LANG,
  authors: [{ name: 'Редакција', url: 'https://example.rs/' }],
  items: ITEMS.map((it) => ({
    id: it.id,
    url: it.link,
    title: it.title,
    summary: it.lead,
    content_html: it.html,
    date_published: it.atomPublished,
    date_modified: it.atomUpdated,
    tags: it.categories.map((c) => c.label),
  })),
};
const jsonDoc = JSON.stringify(jsonObj, null, 2);

const bodies: Record<FeedFormat, string> = { rss: rssDoc, atom: atomDoc(), json: jsonDoc };

// ---------------------------------------------------------------------------
// expectations

function expectedFeed(format: FeedFormat): ReadFeed {
  return {
    title: FEED_TITLE,
    language: LANG,
    selfUrl: SELF[format],
    items: ITEMS.map(
      (it): ReadItem => ({
        id: it.id,
        title: it.title,
        summary: it.lead,
        link: it.link,
        categories: it.categories.map((c) => c.label),
        published: it.published,
        updated: format === 'rss' ? undefined : it.updated,
      }),
    ),
  };
}

type Patch = (feed: ReadFeed) => void;

/** Reader quirks we observed; the patched expectation is asserted exactly. */
const KNOWN_DEVIATIONS: Record<string, Partial<Record<FeedFormat, Patch>>> = {
  'rss-parser': {
    // rss-parser does not expose the Atom root xml:lang.
    atom: (f) => {
      f.language = undefined;
    },
  },
  '@rowanmanning/feed-parser': {
    rss: (f) => {
      decodeTwice(f);
      // RSS items get `updated` = published (fallback inside the library).
      for (const [i, it] of f.items.entries()) it.updated = ITEMS[i]!.published;
    },
    atom: (f) => decodeTwice(f),
  },
};

/** feed-parser decodes entities a second time (html-entities), so the literal "&amp;" becomes "&". */
function decodeTwice(f: ReadFeed): void {
  const item = f.items[1]!;
  item.title = 'Tom & Jerry <script>alert("x")</script> ]]> и опет ]]>';
}

// ---------------------------------------------------------------------------
// run

let checks = 0;
function check(name: string, fn: () => void): void {
  fn();
  checks++;
  console.log(`  ok  ${name}`);
}
async function checkAsync(name: string, fn: () => Promise<void>): Promise<void> {
  await fn();
  checks++;
  console.log(`  ok  ${name}`);
}

console.log('== validators');
check('RSS is well-formed', () => assertWellFormedXml(rssDoc));
check('Atom is well-formed', () => assertWellFormedXml(atomDoc()));
check('broken XML is rejected', () =>
  assert.throws(() => assertWellFormedXml('<rss><channel><title>x</channel></rss>'), (err: Error) => {
    console.log(`      -> ${err.message.replace(/\n/g, '\n         ')}`);
    return /not well-formed/.test(err.message);
  }),
);
await checkAsync('Atom validates against RFC 4287 RELAX NG', () => assertValidAtom(atomDoc()));
await checkAsync('Atom without feed <id> is rejected', () =>
  assert.rejects(assertValidAtom(atomDoc({ omitFeedId: true })), (err: Error) => {
    console.log(`      -> ${err.message.replace(/\n/g, '\n         ')}`);
    return /not valid/.test(err.message);
  }),
);
await checkAsync('non-well-formed Atom is rejected by xmllint', () =>
  assert.rejects(assertValidAtom('<feed xmlns="http://www.w3.org/2005/Atom"><id>x</feed>'), (err: Error) => {
    console.log(`      -> ${err.message.split('\n').slice(0, 2).join(' | ')}`);
    return true;
  }),
);
check('JSON Feed 1.1 validates', () => assertValidJsonFeed11(JSON.parse(jsonDoc)));
check('JSON Feed item without id is rejected', () => {
  const bad = structuredClone(jsonObj) as { items: Array<Record<string, unknown>> };
  delete bad.items[0]!.id;
  assert.throws(() => assertValidJsonFeed11(bad), (err: Error) => {
    console.log(`      -> ${err.message.replace(/\n/g, '\n         ')}`);
    return /\/items\/0 must have required property 'id'/.test(err.message);
  });
});
check('JSON Feed 1.0 version is rejected', () => {
  assert.throws(() => assertValidJsonFeed11({ ...jsonObj, version: 'https://jsonfeed.org/version/1' }), /version must be/);
});

console.log('\n== readers');
const formats: FeedFormat[] = ['rss', 'atom', 'json'];
for (const format of formats) {
  const results = await readWithAll(bodies[format], format);
  assert.deepEqual(
    results.map(([n]) => n),
    format === 'json' ? ['feedsmith'] : ['feedsmith', 'rss-parser', '@rowanmanning/feed-parser'],
  );
  for (const [name, feed] of results) {
    console.log(`\n-- ${format} / ${name}`);
    console.log(JSON.stringify(feed, null, 2).replace(/^/gm, '   '));
    const expected = expectedFeed(format);
    KNOWN_DEVIATIONS[name]?.[format]?.(expected);
    check(`${format} / ${name} matches${KNOWN_DEVIATIONS[name]?.[format] ? ' (with known deviations)' : ' exactly'}`, () =>
      assert.deepStrictEqual(feed, expected),
    );
  }
}

console.log('\n== individual readers agree with readWithAll / reject unsupported formats');
assert.deepStrictEqual(await readWithFeedsmith(rssDoc, 'rss'), (await readWithAll(rssDoc, 'rss'))[0]![1]);
assert.deepStrictEqual(await readWithRssParser(atomDoc(), 'atom'), (await readWithAll(atomDoc(), 'atom'))[1]![1]);
await checkAsync('feed-parser rejects JSON Feed', () => assert.rejects(readWithFeedParser(jsonDoc, 'json'), /cannot read format 'json'/));
await checkAsync('rss-parser rejects JSON Feed', () =>
  assert.rejects(readWithRssParser(jsonDoc, 'json' as 'rss'), /cannot read format 'json'/),
);
await checkAsync('feed-parser rejects RSS read as Atom', () => assert.rejects(readWithFeedParser(rssDoc, 'atom'), /detected 'rss'/));

console.log('\n== quirk probe: surrounding whitespace + non-ASCII URL (RSS and Atom)');
{
  const padded = '  Белоусов  ';
  const cyrLink = 'https://example.rs/вести/белоусов';
  const probeRss = rssDoc
    .replace(`<title>${esc(ITEMS[0]!.title)}</title>`, `<title>${padded}</title>`)
    .replace(`<link>${ITEMS[0]!.link}</link>`, `<link>${cyrLink}</link>`);
  const probeAtom = atomDoc()
    .replace(`<title type="text">${esc(ITEMS[0]!.title)}</title>`, `<title type="text">${padded}</title>`)
    .replace(`href="${ITEMS[0]!.link}"`, `href="${cyrLink}"`);
  const encoded = 'https://example.rs/%D0%B2%D0%B5%D1%81%D1%82%D0%B8/%D0%B1%D0%B5%D0%BB%D0%BE%D1%83%D1%81%D0%BE%D0%B2';
  const expectations: Record<string, { title: string; link: string }> = {
    feedsmith: { title: padded.trim(), link: cyrLink }, // trims
    'rss-parser': { title: padded, link: cyrLink }, // verbatim
    '@rowanmanning/feed-parser': { title: padded.trim(), link: encoded }, // trims + new URL()
  };
  for (const [format, body] of [['rss', probeRss], ['atom', probeAtom]] as const) {
    for (const [name, feed] of await readWithAll(body, format)) {
      const first = feed.items[0]!;
      console.log(`   ${format} / ${name}: title=${JSON.stringify(first.title)} link=${first.link}`);
      check(`${format} / ${name} whitespace/URL behaviour as documented`, () =>
        assert.deepStrictEqual({ title: first.title, link: first.link }, expectations[name]),
      );
    }
  }
}

console.log(`\nALL ${checks} CHECKS PASSED`);
