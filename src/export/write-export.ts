import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { ExportedPath } from './site-paths.js';

/** The encodings written beside each file, as a static server with precompressed files expects them. */
const CODINGS = [
  { coding: 'identity', suffix: '' },
  { coding: 'gzip', suffix: '.gz' },
  { coding: 'br', suffix: '.br' },
] as const;
const CONCURRENT_FETCHES = 8;
/** The files the previous export wrote, so that one no longer published (a term gone) is removed, and only those. */
export const MANIFEST = '.feed-export.json';

interface Answer {
  readonly status: number;
  readonly body: Buffer;
  readonly headers: http.IncomingHttpHeaders;
}

// What a static server must send as the service does; validators and codings it makes itself.
const COPIED_HEADERS = [
  'cache-control',
  'access-control-allow-origin',
  'x-content-type-options',
  'content-security-policy',
];

/** How a static server must label a kind of file, as the service labels it. */
export interface FileKind {
  readonly contentType: string;
  /** Header names (lower case) and values to send with it. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface ExportSummary {
  readonly written: number;
  readonly unchanged: number;
  readonly removed: number;
  /** Documents that were listed but gone by the time they were asked for (a commit in between). */
  readonly missing: readonly string[];
  /** The content type and Cache-Control of each file name pattern (`rss.xml`, `*.html`, …) seen. */
  readonly kinds: ReadonlyMap<string, FileKind>;
}

/** GETs `urlPath` from the service on loopback with one Accept-Encoding. */
function fetchFrom(agent: http.Agent, port: number, urlPath: string, coding: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: urlPath, agent, headers: { 'Accept-Encoding': coding } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks), headers: response.headers }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

/** Writes `body` to `file` unless it already holds exactly these bytes; true when it wrote. */
async function writeIfChanged(file: string, body: Buffer, modified: Date | undefined): Promise<boolean> {
  const existing = await fs.readFile(file).catch(() => undefined);
  if (existing?.equals(body)) return false;
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Renamed into place, so a static server never sends a half-written file.
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, body);
  // The file's time is the document's Last-Modified, which a static server sends as its own.
  if (modified) await fs.utimes(temporary, modified, modified);
  await fs.rename(temporary, file);
  return true;
}

/** The pattern a file is labelled by: its name for feeds and the OPML (`rss.xml`), its extension otherwise. */
export function fileKindPattern(file: string): string {
  const name = path.posix.basename(file);
  return name.endsWith('.html') ? '*.html' : name;
}

/**
 * Exports `paths` as served by the service listening on loopback `port` (under `basePath`) into `dir`: each
 * document in every coding, written only where its bytes changed, with the files of the previous export that are
 * no longer published removed.
 */
export async function writeExport(
  dir: string,
  paths: readonly ExportedPath[],
  port: number,
  basePath: string,
): Promise<ExportSummary> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENT_FETCHES });
  const kinds = new Map<string, FileKind>();
  const produced = new Set<string>();
  const missing: string[] = [];
  let written = 0;
  let unchanged = 0;
  const exportOne = async ({ url, file }: ExportedPath) => {
    for (const { coding, suffix } of CODINGS) {
      const answer = await fetchFrom(agent, port, `${basePath}${url}`, coding);
      if (answer.status === 404 && coding === 'identity') return void missing.push(url);
      if (answer.status !== 200) throw new Error(`${url} (${coding}) answered ${answer.status}`);
      // A document too small to gain from compression is sent as it is; a static server does the same without a file.
      if (coding !== 'identity' && answer.headers['content-encoding'] !== coding) continue;
      const lastModified = answer.headers['last-modified'];
      const target = `${file}${suffix}`;
      produced.add(target);
      const changed = await writeIfChanged(
        path.join(dir, target),
        answer.body,
        lastModified ? new Date(lastModified) : undefined,
      );
      if (changed) written += 1;
      else unchanged += 1;
      if (coding === 'identity')
        kinds.set(fileKindPattern(file), {
          contentType: answer.headers['content-type'] ?? 'application/octet-stream',
          headers: Object.fromEntries(
            COPIED_HEADERS.flatMap((name) => {
              const value = answer.headers[name];
              return typeof value === 'string' ? [[name, value]] : [];
            }),
          ),
        });
    }
  };
  try {
    const queue = [...paths];
    await Promise.all(
      Array.from({ length: CONCURRENT_FETCHES }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await exportOne(next);
      }),
    );
  } finally {
    agent.destroy();
  }
  const removed = await removeUnpublished(dir, produced);
  return { written, unchanged, removed, missing, kinds };
}

/** Removes what the previous export wrote and this one did not, then records what this one wrote. */
async function removeUnpublished(dir: string, produced: ReadonlySet<string>): Promise<number> {
  const manifest = path.join(dir, MANIFEST);
  const previous = await fs
    .readFile(manifest, 'utf8')
    .then((text) => JSON.parse(text) as unknown)
    .catch(() => []);
  let removed = 0;
  for (const file of Array.isArray(previous) ? previous : [])
    if (typeof file === 'string' && !produced.has(file) && !file.split('/').includes('..')) {
      await fs.rm(path.join(dir, file), { force: true });
      removed += 1;
    }
  await writeIfChanged(manifest, Buffer.from(JSON.stringify([...produced].sort())), undefined);
  return removed;
}
