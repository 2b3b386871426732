import type { AudioEnclosure, PhotoCredit } from '../articles/article.js';

/** A name as readers see it and the ASCII slug used in its URL. */
export interface Term {
  readonly name: string;
  readonly slug: string;
}

/** One feed entry, normalised from an article and stored; every date is RFC 3339 UTC. */
export interface Entry {
  /** Stable key: front matter `id`, else the file path under ARTICLES_DIR. Never derived from the text. */
  readonly key: string;
  readonly sourcePath: string;
  readonly slug: string;
  readonly title: string;
  readonly summary: string;
  readonly paragraphs: readonly string[];
  readonly category: Term;
  readonly tags: readonly Term[];
  readonly author: string;
  readonly image?: string;
  /** MIME type of the image: stated, or known from its file extension. */
  readonly imageType?: string;
  /** Bytes of the image, when stated or probed; never guessed. */
  readonly imageLength?: number;
  readonly credit?: PhotoCredit;
  /** Audio of a podcast episode. */
  readonly audio?: AudioEnclosure;
  readonly externalUrl?: string;
  readonly published: string;
  readonly updated: string;
  readonly language: string;
}

/** An entry before the store gives it a unique slug. */
export type NormalisedEntry = Omit<Entry, 'slug'> & { readonly slugBase: string };
