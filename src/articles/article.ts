/** Optional fields an article may state for itself (front matter or JSON). */
export interface ArticleMeta {
  readonly id?: string;
  readonly url?: string;
  readonly published?: string;
  readonly updated?: string;
  readonly author?: string;
  readonly category?: string;
  readonly tags: readonly string[];
  readonly image?: string;
  readonly imageType?: string;
  readonly imageLength?: number;
  readonly audio?: AudioEnclosure;
}

/** A podcast episode's audio file, as Apple Podcasts requires it: URL, MIME type, bytes and duration. */
export interface AudioEnclosure {
  readonly url: string;
  readonly type: string;
  readonly length: number;
  /** Seconds. */
  readonly duration: number;
}

export interface PhotoCredit {
  readonly source: string;
  readonly name: string;
}

/** One stored article as read from its file, before normalising. */
export interface Article {
  readonly meta: ArticleMeta;
  readonly category: string;
  readonly title: string;
  readonly lead: string;
  readonly paragraphs: readonly string[];
  readonly credit?: PhotoCredit;
}

export type ParseResult = { ok: true; article: Article } | { ok: false; reason: string };

export const reject = (reason: string): ParseResult => ({ ok: false, reason });
