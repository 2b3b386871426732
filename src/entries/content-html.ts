import escapeHtml from 'escape-html';
import type { PhotoCredit } from '../articles/article.js';

/** "source © name", or whichever half is present. */
export function formatCredit(credit: PhotoCredit): string {
  return [credit.source, credit.name].filter(Boolean).join(' © ');
}

function figure(image: string | undefined, credit: PhotoCredit | undefined, alt: string, photoLabel: string): string {
  if (!image && !credit) return '';
  const img = image ? `<img src="${escapeHtml(image)}" alt="${escapeHtml(alt)}">` : '';
  const caption = credit ? `<figcaption>${escapeHtml(photoLabel)}: ${escapeHtml(formatCredit(credit))}</figcaption>` : '';
  return `<figure>${img}${caption}</figure>`;
}

/**
 * The entry body as HTML: the photo (or its credit) as a captioned figure, then one <p> per paragraph, all
 * text escaped. Derived on rendering, once per change, rather than stored next to the paragraphs it repeats.
 */
export function renderContentHtml(
  input: {
    readonly title: string;
    readonly paragraphs: readonly string[];
    readonly image?: string;
    readonly credit?: PhotoCredit;
  },
  photoLabel = 'Фото',
): string {
  const paragraphs = input.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`);
  return figure(input.image, input.credit, input.title, photoLabel) + paragraphs.join('');
}
