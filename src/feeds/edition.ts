import type { Config } from '../config.js';
import type { Entry } from '../entries/entry.js';
import { cyrillicToLatin } from '../entries/transliterate.js';

/**
 * One script the site is published in. Serbian is written in Cyrillic and in Latin: the Latin edition lives
 * under /lat, with every text transliterated, language "sr-Latn", and the same entry ids and slugs.
 */
export interface Edition {
  /** URL path prefix: '' for the primary (Cyrillic) edition. */
  readonly prefix: '' | '/lat';
  readonly name: string;
  /** ISO 15924 code of the script it is written in. */
  readonly script: 'Cyrl' | 'Latn';
  /** The site config as this edition publishes it: its base URL (with the prefix), language and titles. */
  readonly config: Config;
  readonly text: (text: string) => string;
}

function latinConfig(config: Config): Config {
  return Object.freeze({
    ...config,
    baseUrl: `${config.baseUrl}/lat`,
    siteLanguage: `${config.siteLanguage.replace(/-.*/s, '')}-Latn`,
    siteTitle: cyrillicToLatin(config.siteTitle),
    siteDescription: cyrillicToLatin(config.siteDescription),
    siteAuthor: cyrillicToLatin(config.siteAuthor),
  });
}

/** The editions of the site: the primary one first. */
export function createEditions(config: Config): readonly Edition[] {
  return [
    { prefix: '', name: 'Ћирилица', script: 'Cyrl', config, text: (text) => text },
    { prefix: '/lat', name: 'Latinica', script: 'Latn', config: latinConfig(config), text: cyrillicToLatin },
  ];
}

const CYRILLIC = /\p{Script=Cyrillic}/u;

/**
 * The name an edition gives a category or tag its entries spell in several ways: the newest spelling in the
 * edition's script, else the edition's rendering of the newest one. Latin is never turned into Cyrillic:
 * digraphs make that guesswork (nj is Њ in "Njegoš" but н+ј in "injekcija").
 */
export function termName(edition: Edition, spellingsNewestFirst: readonly string[]): string {
  const own = spellingsNewestFirst.find((spelling) => CYRILLIC.test(spelling) === (edition.script === 'Cyrl'));
  return own ?? edition.text(spellingsNewestFirst[0] ?? '');
}

/** Where the site's files shared by every edition (the OPML list) are: BASE_URL itself. */
export function siteUrl(edition: Edition): string {
  return edition.config.baseUrl.slice(0, edition.config.baseUrl.length - edition.prefix.length);
}

/** An entry as an edition shows it: every text in its script; key, slug and dates unchanged. */
export function entryInEdition(edition: Edition, entry: Entry): Entry {
  if (edition.prefix === '') return entry;
  const { text } = edition;
  return {
    ...entry,
    title: text(entry.title),
    summary: text(entry.summary),
    paragraphs: entry.paragraphs.map(text),
    category: { ...entry.category, name: text(entry.category.name) },
    tags: entry.tags.map((tag) => ({ ...tag, name: text(tag.name) })),
    author: text(entry.author),
    ...(entry.credit ? { credit: { source: text(entry.credit.source), name: text(entry.credit.name) } } : {}),
    language: edition.config.siteLanguage,
  };
}
