import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { generateArticles } from './generate-articles.js';
import { get, startProcess, stop } from './processes.js';
import { wrk, type WrkResult } from './wrk.js';

export interface HttpRow {
  readonly name: string;
  readonly result: WrkResult;
  readonly ratio: number | undefined;
  readonly against: string;
}

const SERVER_CPU = 0;
const LOAD_CPU = 1;
const PORTS = { ours: 39101, ceiling: 39102, naive: 39103 };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

function medianResult(results: WrkResult[]): WrkResult {
  return {
    requests: median(results.map((r) => r.requests)),
    requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
    p50Ms: median(results.map((r) => r.p50Ms)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    non2xx3xx: Math.max(...results.map((r) => r.non2xx3xx)),
    socketErrors: Math.max(...results.map((r) => r.socketErrors)),
  };
}

/**
 * Our service, the bare node:http ceiling and the naive per-request Express+feed route, side by side on the
 * same 50-item feed, servers on one core and wrk on the other, over loopback, median of `rounds`.
 */
export async function httpBenchmark(
  workDir: string,
  rounds: number,
  seconds: number,
): Promise<{ rows: HttpRow[]; feedBytes: number }> {
  const articles = path.join(workDir, 'http-articles');
  generateArticles(articles, 50);
  const database = path.join(workDir, 'http.db');
  const children: ChildProcess[] = [];
  try {
    const ours = `http://127.0.0.1:${PORTS.ours}`;
    children.push(
      await startProcess(['src/server.ts'], {
        cpu: SERVER_CPU,
        readyUrl: `${ours}/healthz`,
        env: {
          PORT: String(PORTS.ours),
          BASE_URL: ours,
          ARTICLES_DIR: articles,
          DATABASE_URL: `sqlite:${database}`,
          LOG_LEVEL: 'warn',
          NORMALISE_CRON: '0 0 1 1 *',
        },
      }),
    );
    while (!(JSON.parse((await get(`${ours}/status`)).body.toString()) as { lastPass: unknown }).lastPass)
      await new Promise((r) => setTimeout(r, 100));
    const encodings = { identity: {}, gzip: { 'Accept-Encoding': 'gzip' }, br: { 'Accept-Encoding': 'br' } };
    const spec: Record<string, unknown> = {};
    for (const [coding, headers] of Object.entries(encodings)) {
      await get(`${ours}/rss.xml`, headers);
      const response = await get(`${ours}/rss.xml`, headers);
      const bodyFile = path.join(workDir, `ceiling.${coding}`);
      fs.writeFileSync(bodyFile, response.body);
      const pick = (names: string[]) => Object.fromEntries(names.map((name) => [name, String(response.headers[name])]));
      const validators = ['etag', 'last-modified', 'cache-control', 'vary', 'access-control-allow-origin'];
      spec[coding] = {
        bodyFile,
        headers: pick([
          'content-type',
          'content-length',
          ...(coding === 'identity' ? [] : ['content-encoding']),
          ...validators,
        ]),
        notModifiedHeaders: pick(validators),
      };
    }
    const identity = await get(`${ours}/rss.xml`);
    const specFile = path.join(workDir, 'ceiling.json');
    fs.writeFileSync(specFile, JSON.stringify({ port: PORTS.ceiling, variants: spec }));
    children.push(await startProcess(['bench/ceiling-server.ts', specFile], { cpu: SERVER_CPU }));
    children.push(await startProcess(['bench/naive-server.ts', database, String(PORTS.naive)], { cpu: SERVER_CPU }));

    const ceiling = `http://127.0.0.1:${PORTS.ceiling}`;
    const etag = String(identity.headers.etag);
    const cases: Array<{ name: string; url: string; headers?: Record<string, string>; against?: string }> = [
      { name: 'ceiling 200', url: `${ceiling}/rss.xml` },
      { name: 'ours 200', url: `${ours}/rss.xml`, against: 'ceiling 200' },
      { name: 'ceiling 200 gzip', url: `${ceiling}/rss.xml`, headers: encodings.gzip },
      { name: 'ours 200 gzip', url: `${ours}/rss.xml`, headers: encodings.gzip, against: 'ceiling 200 gzip' },
      { name: 'ceiling 200 br', url: `${ceiling}/rss.xml`, headers: encodings.br },
      { name: 'ours 200 br', url: `${ours}/rss.xml`, headers: encodings.br, against: 'ceiling 200 br' },
      { name: 'ceiling 304', url: `${ceiling}/rss.xml`, headers: { 'If-None-Match': etag } },
      { name: 'ours 304', url: `${ours}/rss.xml`, headers: { 'If-None-Match': etag }, against: 'ceiling 304' },
      {
        name: 'naive Express + feed per request',
        url: `http://127.0.0.1:${PORTS.naive}/rss.xml`,
        against: 'ceiling 200',
      },
    ];
    const results = new Map<string, WrkResult[]>();
    for (let round = 0; round < rounds; round += 1)
      for (const benchCase of cases) {
        const result = await wrk(benchCase.url, {
          seconds,
          connections: 50,
          headers: benchCase.headers ?? {},
          cpu: LOAD_CPU,
        });
        results.set(benchCase.name, [...(results.get(benchCase.name) ?? []), result]);
      }
    // Each round runs a case right after its ceiling, so the ratio is taken per round (the machine's load
    // drifts between rounds) and the median of those ratios is reported.
    const roundRatio = (name: string, against: string) =>
      median(
        (results.get(name) ?? []).map(
          (result, round) => result.requestsPerSecond / (results.get(against)?.[round]?.requestsPerSecond ?? NaN),
        ),
      );
    const rows = cases.map((benchCase) => ({
      name: benchCase.name,
      result: medianResult(results.get(benchCase.name) ?? []),
      ratio: benchCase.against ? roundRatio(benchCase.name, benchCase.against) : undefined,
      against: benchCase.against ?? '',
    }));
    return { rows, feedBytes: identity.body.length };
  } finally {
    await Promise.all(children.map(stop));
  }
}
