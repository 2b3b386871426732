import escapeHtml from 'escape-html';
import type { PhotoCredit } from '../articles/article.js';

/** "source © name", or whichever half is present. */
export function formatCredit(credit: PhotoCredit): string {
  return [credit.source, credit.name].filter(Boolean).join(' © ');
}

function photo(image: string | undefined, credit: PhotoCredit | undefined, alt: string, photoLabel: string): string {
  const caption = credit ? `${escapeHtml(photoLabel)}: ${escapeHtml(formatCredit(credit))}` : '';
  if (image)
    return `<figure><img src="${escapeHtml(image)}" alt="${escapeHtml(alt)}">${caption && `<figcaption>${caption}</figcaption>`}</figure>`;
  // The scrape keeps a photo's credit even when the photo itself is gone: a figure would frame nothing.
  return caption && `<p><small>${caption}</small></p>`;
}

/**
 * The entry body as HTML: the photo as a figure captioned with its credit (a credit alone as a small line), then
 * one <p> per paragraph, all text escaped. Derived on rendering, once per change, rather than stored next to the paragraphs it repeats.
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
  return photo(input.image, input.credit, input.title, photoLabel) + paragraphs.join('');
}
