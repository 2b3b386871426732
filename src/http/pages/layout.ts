import escapeHtml from 'escape-html';
import { FEED_FORMATS, FORMATS } from '../../feeds/formats.js';
import { feedUrl, type FeedScope } from '../../feeds/urls.js';

/** Tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = string | number | Html | readonly Html[] | undefined;

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  const render = (part: Part): string => {
    if (part === undefined) return '';
    if (part instanceof Html) return part.value;
    if (Array.isArray(part)) return part.map(render).join('');
    return escapeHtml(String(part));
  };
  return new Html(
    strings.reduce((out, text, index) => out + text + (index < parts.length ? render(parts[index]) : ''), ''),
  );
}

export interface AlternateFeed {
  readonly scope: FeedScope;
  readonly title: string;
}

/** `<link rel="alternate">` autodiscovery for every format of each feed. */
export function alternateLinks(baseUrl: string, feeds: readonly AlternateFeed[]): Html[] {
  return feeds.flatMap(({ scope, title }) =>
    FEED_FORMATS.map(
      (format) =>
        html`<link rel="alternate" type="${FORMATS[format].contentType.split(';')[0]}" title="${title} (${FORMATS[format].label})" href="${feedUrl(baseUrl, scope, format)}">`,
    ),
  );
}

/** Links to every format of one feed, for the page body. */
export function feedLinks(baseUrl: string, scope: FeedScope): Html {
  return html`${FEED_FORMATS.map((format) => html` <a href="${feedUrl(baseUrl, scope, format)}">${FORMATS[format].label}</a>`)}`;
}

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5}';

/** The page shell: language, title, autodiscovery links, and no inline script. */
export function page(input: { lang: string; title: string; head?: readonly Html[]; body: Html }): string {
  return `<!doctype html>\n${html`<html lang="${input.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>${input.title}</title>${input.head ?? []}<style>${new Html(STYLE)}</style></head><body>${input.body}</body></html>`.value}\n`;
}
