import type { Term } from '../entries/entry.js';
import type { CommitResult } from './store.js';

/** The category and tags of a stored entry, as its row keeps them. */
export interface TermColumns {
  readonly category_slug: string;
  readonly tags_json: string;
}

/** Which categories and tags one pass changed, before and after each edit: what its commit reports. */
export class PassChanges {
  private readonly categories = new Set<string>();
  private readonly tags = new Set<string>();

  get any(): boolean {
    return this.categories.size > 0;
  }

  /** Remembers the terms of an entry as the pass writes it. */
  touchEntry(category: string, tags: readonly Term[]): void {
    this.categories.add(category);
    for (const tag of tags) this.tags.add(tag.slug);
  }

  /** Remembers the terms of a stored entry the pass replaces or deletes. */
  touchRow(row: TermColumns): void {
    this.touchEntry(row.category_slug, JSON.parse(row.tags_json) as Term[]);
  }

  result(version: number): CommitResult {
    return { version, changedCategories: [...this.categories].sort(), changedTags: [...this.tags].sort() };
  }
}
