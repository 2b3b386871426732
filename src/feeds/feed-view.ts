import type { PodcastConfig } from '../config.js';
import type { Entry } from '../entries/entry.js';
import type { FeedFormat } from './formats.js';

/** Everything a renderer needs for one feed document; built once, rendered in each format. */
export interface FeedView {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly language: string;
  readonly author: string;
  readonly homeUrl: string;
  /** This page's own URL in each format. */
  readonly selfUrls: Readonly<Record<FeedFormat, string>>;
  /** RFC 5005 paging links in each format; absent when the feed fits on one page. */
  readonly pageLinks?: Readonly<Record<FeedFormat, PageLinks>>;
  /** Newest `updated` among the entries, so the document never carries "now". */
  readonly updated: string;
  readonly entries: readonly FeedEntryView[];
  readonly generator: string;
  /** Minutes a poller may keep the feed before asking again (RSS `ttl`): the Cache-Control lifetime. */
  readonly ttlMinutes: number;
  /** WebSub hub where subscribers get pushed updates of this feed. */
  readonly hubUrl?: string;
  /** Set when this feed is a podcast: the channel-level details Apple Podcasts requires. */
  readonly podcast?: PodcastConfig;
}

export interface PageLinks {
  readonly first: string;
  readonly previous?: string;
  readonly next?: string;
  readonly last: string;
}

export interface FeedTermView {
  readonly name: string;
  readonly slug: string;
  /** URI of the taxonomy the term belongs to: the site's categories or its tags. */
  readonly scheme: string;
}

export interface FeedEntryView {
  readonly entry: Entry;
  readonly contentHtml: string;
  readonly id: string;
  readonly url: string;
  readonly terms: readonly FeedTermView[];
}
