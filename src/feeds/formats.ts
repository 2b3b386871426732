import { renderAtom } from './atom.js';
import type { FeedView } from './feed-view.js';
import { renderJsonFeed } from './json-feed.js';
import { renderRss } from './rss.js';

export type FeedFormat = 'rss' | 'atom' | 'json';

export interface FormatSpec {
  /** File name of the feed under its scope's path. */
  readonly file: string;
  readonly contentType: string;
  readonly label: string;
  readonly render: (feed: FeedView) => string;
}

/** The one table of formats: adding a variant touches only this. */
export const FORMATS: Readonly<Record<FeedFormat, FormatSpec>> = {
  rss: {
    file: 'rss.xml',
    contentType: 'application/rss+xml; charset=utf-8',
    label: 'RSS 2.0',
    render: renderRss,
  },
  atom: {
    file: 'atom.xml',
    contentType: 'application/atom+xml; charset=utf-8',
    label: 'Atom 1.0',
    render: renderAtom,
  },
  json: {
    file: 'feed.json',
    contentType: 'application/feed+json; charset=utf-8',
    label: 'JSON Feed 1.1',
    render: renderJsonFeed,
  },
};

export const FEED_FORMATS = Object.keys(FORMATS) as FeedFormat[];

/**
 * Another rendering of a feed page from the same view, for other clients than feed readers (the HTML preview a
 * browser opening the feed gets): cached beside the feed, under its own name, with its own type and headers.
 */
export interface FeedPresentation {
  readonly name: string;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly render: (feed: FeedView, format: FeedFormat) => string;
}

/** The request headers that choose between a feed and its presentation, so every answer at a feed URL names them. */
export const FEED_CHOSEN_BY = 'Accept, Sec-Fetch-Dest';
