// "The way most tutorials show it": an Express route that reads the entries and builds the feed with the
// `feed` package on every request. Reads the same SQLite store our service wrote.
import express from 'express';
import { Feed } from 'feed';
import { renderContentHtml } from '../src/entries/content-html.js';
import { SqliteStore } from '../src/store/sqlite/store.js';

const [databaseFile = '', port = '0'] = process.argv.slice(2);
const store = new SqliteStore(databaseFile);
const base = `http://127.0.0.1:${port}`;
const app = express();

app.get('/rss.xml', async (_req, res) => {
  const entries = await store.listEntries({}, 50, 0);
  const feed = new Feed({ title: 'Вести', id: `${base}/`, link: `${base}/`, language: 'sr', copyright: '' });
  for (const entry of entries)
    feed.addItem({
      title: entry.title,
      id: `${base}/articles/${entry.slug}`,
      link: `${base}/articles/${entry.slug}`,
      description: entry.summary,
      content: renderContentHtml(entry),
      date: new Date(entry.updated),
      category: [{ name: entry.category.name }],
    });
  res.type('application/rss+xml').send(feed.rss2());
});

app.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
