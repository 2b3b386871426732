import fs from 'node:fs';
import path from 'node:path';

// Deterministic PRNG (mulberry32): the same folder for the same seed, run after run.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOPICS = [
  'Србија',
  'Свет',
  'Русија',
  'Економија',
  'Спорт',
  'Култура',
  'Наука',
  'Здравље',
  'Регион',
  'Технологија',
];
const PLACES = ['', 'Београд', 'Нови Сад', 'Ниш', 'Крагујевац', 'Суботица', 'Чачак', 'Ужице', 'Шабац', 'Зрењанин'];
/** 100 categories: ten topics, each alone and in nine cities. */
export const CATEGORIES = TOPICS.flatMap((topic) => PLACES.map((place) => (place ? `${topic} — ${place}` : topic)));

const SUBJECTS = [
  'Влада',
  'Министарство финансија',
  'Народна банка',
  'Градска управа',
  'Привредна комора',
  'Универзитет',
  'Савез',
  'Удружење грађана',
  'Јавно предузеће',
  'Министар',
];
const VERBS = [
  'је саопштио',
  'је најавио',
  'је потврдио',
  'је одбацио',
  'је представио',
  'је усвојио',
  'је упозорио',
  'је проценио',
];
const OBJECTS = [
  'нови план развоја',
  'измене закона о раду',
  'буџет за наредну годину',
  'пројекат обнове пруге',
  'мере подршке пољопривредницима',
  'програм запошљавања младих',
  'споразум о сарадњи',
  'резултате истраживања',
];
const DETAILS = [
  'у наредних шест месеци',
  'након дуже расправе',
  'уз подршку локалне самоуправе',
  'како преносе домаћи медији',
  'према речима надлежних',
  'на конференцији за новинаре',
  'током јучерашњег састанка',
  'у складу са планом',
];
const CLOSERS = [
  'Очекује се да ће први резултати бити видљиви до краја године.',
  'Опозиција је критиковала предлог, оцењујући га као недовољно амбициозан.',
  'Стручњаци сматрају да је реч о важном кораку за даљи развој.',
  'Грађани ће о детаљима бити обавештени накнадно.',
  'Вредност пројекта процењује се на 3,5 милиона евра.',
];
const CREDITS = [
  'www.globallookpress.com © Alexei Druzhinin/ZUMAPRESS.com',
  'Tanjug © Милош Милић',
  'AP Photo © Darko Vojinović',
  'Sputnik © Владимир Астапкович',
];

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)] as T;
}

function sentence(next: () => number): string {
  return `${pick(next, SUBJECTS)} ${pick(next, VERBS)} ${pick(next, OBJECTS)} ${pick(next, DETAILS)}.`;
}

function paragraph(next: () => number): string {
  return [sentence(next), sentence(next), sentence(next), pick(next, CLOSERS)].join(' ');
}

/** One article in the raw scraped layout (category, title, lead, photo line, body, `image` placeholder). */
export function generateArticle(index: number, seed = 1, edition = 0): string {
  const next = random(seed * 1_000_003 + index * 7919 + edition);
  const category = CATEGORIES[index % CATEGORIES.length] as string;
  const title = `${pick(next, SUBJECTS)} ${pick(next, VERBS)} ${pick(next, OBJECTS)} (${index + 1})`;
  const lead = sentence(next);
  const body = Array.from({ length: 4 }, () => paragraph(next));
  const photo = next() < 0.8 ? `${title}${pick(next, CREDITS)}\n` : '';
  // One article a minute through 2026: the highest index is the newest.
  const published = new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString();
  return `---\npublished: ${published}\n---\n${category}\n\n${title}\n\n${lead}\n${photo}\n${body.join('\n\n')}\n\nimage\n`;
}

export function articleFileName(index: number): string {
  return `${String(index).padStart(6, '0')}.txt`;
}

/** Writes `count` articles into `dir`, spread over subfolders of 1,000 so no directory grows huge. */
export function generateArticles(dir: string, count: number, seed = 1): void {
  for (let index = 0; index < count; index += 1) {
    const folder = path.join(dir, String(Math.floor(index / 1000)).padStart(3, '0'));
    if (index % 1000 === 0) fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, articleFileName(index)), generateArticle(index, seed));
  }
}

/** Path, under `dir`, of the file `generateArticles` wrote for `index`. */
export function generatedArticlePath(dir: string, index: number): string {
  return path.join(dir, String(Math.floor(index / 1000)).padStart(3, '0'), articleFileName(index));
}
