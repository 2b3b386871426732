import { reject, type ParseResult } from './article.js';
import { readFrontMatter } from './front-matter.js';
import { creditFromPhotoLine } from './photo-credit.js';

const PLACEHOLDER = 'image';

interface Line {
  readonly text: string;
  readonly block: number;
}

// Blank lines separate blocks; the scrape's `image` placeholders are dropped wherever they stand.
function contentLines(text: string): Line[] {
  const lines: Line[] = [];
  let block = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') block += 1;
    else if (line !== PLACEHOLDER) lines.push({ text: line, block });
  }
  return lines;
}

function paragraphsOf(lines: readonly Line[]): string[] {
  const paragraphs = new Map<number, string>();
  for (const line of lines) {
    const earlier = paragraphs.get(line.block);
    paragraphs.set(line.block, earlier === undefined ? line.text : `${earlier} ${line.text}`);
  }
  return [...paragraphs.values()];
}

// The scrape puts the photo line right under the lead; further down, a paragraph that merely starts
// with the title's words is body text unless it carries a © credit.
function isPhotoLine(line: Line, lead: Line): boolean {
  return line.block === lead.block || line.text.includes('©');
}

/** Parses the scraped text layout: [front matter] category, title, lead, [photo line], body paragraphs. */
export function parseRawArticle(text: string): ParseResult {
  const frontMatter = readFrontMatter(text);
  if (!frontMatter.ok) return frontMatter;
  const lines = contentLines(frontMatter.rest);
  const [category, title, lead, maybePhoto] = lines;
  if (!category) return reject('empty article: no text');
  if (!title) return reject('no title: expected the category, a blank line, then the title');
  if (!lead) return reject('no lead: expected a lead paragraph after the title');
  const photo =
    maybePhoto && isPhotoLine(maybePhoto, lead) ? creditFromPhotoLine(maybePhoto.text, title.text) : undefined;
  const paragraphs = paragraphsOf(lines.slice(photo ? 4 : 3));
  if (paragraphs.length === 0) return reject('title but no body paragraphs');
  return {
    ok: true,
    article: {
      meta: frontMatter.meta,
      category: frontMatter.meta.category ?? category.text,
      title: title.text,
      lead: lead.text,
      paragraphs,
      ...photo,
    },
  };
}
