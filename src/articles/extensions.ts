import path from 'node:path';

/** File extensions that hold articles; anything else in the folder is ignored. */
const ARTICLE_EXTENSIONS: readonly string[] = ['.txt', '.json'];

/** Whether a name is one of an article: not hidden, with an article's extension. */
export const isArticleName = (name: string) =>
  !name.startsWith('.') && ARTICLE_EXTENSIONS.includes(path.extname(name).toLowerCase());
