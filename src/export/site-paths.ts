import type { FeedFormat } from '../feeds/formats.js';
import { FORMATS } from '../feeds/formats.js';
import { TERM_FOLDERS, type TermKind } from '../feeds/urls.js';

/** What an edition publishes: its URL prefix ('' or '/lat') and the slugs of its terms. */
export interface EditionPaths {
  readonly prefix: string;
  readonly terms: Readonly<Record<TermKind, readonly string[]>>;
}

/** One exported document: its URL path (relative to BASE_URL's path) and the file it is stored in. */
export interface ExportedPath {
  readonly url: string;
  readonly file: string;
}

const FEED_FILES = (Object.keys(FORMATS) as FeedFormat[]).map((format) => FORMATS[format].file);

// A static server looks a URL up by its decoded path, so a slug is stored decoded; a slug never holds a separator,
// and one that would step out of the export folder is refused rather than written.
function fileSegment(segment: string): string {
  if (segment === '' || segment === '.' || segment === '..' || /[/\\\0]/.test(segment))
    throw new Error(`cannot export ${JSON.stringify(segment)}: not a plain file name`);
  return segment;
}

/**
 * Every document a static copy of the site serves: each edition's default feed pages (site, categories, tags, every
 * format), its index, term lists, term and article pages; the OPML and the stylesheet once. A folder's page is its
 * `index.html`, any other page `<name>.html` (`/categories/rusija` → `categories/rusija.html`, beside the folder
 * of its feeds). Paged views (`?page=`) are not files: a static server cannot tell them apart.
 */
export function sitePaths(
  editions: readonly EditionPaths[],
  articleSlugs: readonly string[],
  sharedFiles: readonly string[],
): ExportedPath[] {
  const paths: ExportedPath[] = sharedFiles.map((file) => ({ url: `/${file}`, file }));
  const feeds = (urlFolder: string, fileFolder: string) =>
    FEED_FILES.map((name) => ({ url: `${urlFolder}/${name}`, file: `${fileFolder}${name}` }));
  for (const { prefix, terms } of editions) {
    const folder = prefix === '' ? '' : `${fileSegment(prefix.slice(1))}/`;
    paths.push({ url: `${prefix}/`, file: `${folder}index.html` }, ...feeds(prefix, folder));
    for (const kind of ['category', 'tag'] as const) {
      const termFolder = `${folder}${TERM_FOLDERS[kind]}/`;
      paths.push({ url: `${prefix}/${TERM_FOLDERS[kind]}/`, file: `${termFolder}index.html` });
      for (const slug of terms[kind]) {
        const url = `${prefix}/${TERM_FOLDERS[kind]}/${encodeURIComponent(slug)}`;
        const name = fileSegment(slug);
        paths.push({ url, file: `${termFolder}${name}.html` }, ...feeds(url, `${termFolder}${name}/`));
      }
    }
    for (const slug of articleSlugs)
      paths.push({
        url: `${prefix}/articles/${encodeURIComponent(slug)}`,
        file: `${folder}articles/${fileSegment(slug)}.html`,
      });
  }
  return paths;
}
