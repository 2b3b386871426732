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
  readonly selfUrls: Readonly<Record<FeedFormat, string>>;
  /** Newest `updated` among the entries, so the document never carries "now". */
  readonly updated: string;
  readonly entries: readonly FeedEntryView[];
  readonly generator: string;
}

export interface FeedTermView {
  readonly name: string;
  readonly slug: string;
  /** URI of the taxonomy the term belongs to: the site's categories or its tags. */
  readonly scheme: string;
}

export interface FeedEntryView {
  readonly entry: Entry;
  readonly id: string;
  readonly url: string;
  readonly terms: readonly FeedTermView[];
}
