// `npm run bench`: a report, not a test. Loopback only; every load run is bounded in time.
//   BENCH_ROUNDS (3)  BENCH_SECONDS (5)  BENCH_SIZES (1000,10000,100000)  BENCH_POLL_ARTICLES (20000)
//   BENCH_POSTGRES (unset; a PostgreSQL URL such as postgres://postgres@127.0.0.1:5432/test repeats the scale table
//   on PostgreSQL, in a schema of its own, with two replicas for "one edit → fresh")
//   BENCH_PARTS (http,scale,poll,live: which parts to run)  BENCH_LIVE_ARTICLES (10000)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { httpBenchmark } from './http-bench.js';
import { liveEditLatency } from './live-edit-latency.js';
import { pollDuringPass } from './poll-during-pass.js';
import { postgresBenchStore } from './postgres-store.js';
import { scaleBenchmark, SQLITE_BENCH_STORE } from './scale-bench.js';
import { hasWrk } from './wrk.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const pollArticles = Number(process.env.BENCH_POLL_ARTICLES ?? 20000);
const parts = new Set((process.env.BENCH_PARTS ?? 'http,scale,poll,live').split(','));
const liveArticles = Number(process.env.BENCH_LIVE_ARTICLES ?? 10000);
const stores = [
  SQLITE_BENCH_STORE,
  ...(process.env.BENCH_POSTGRES ? [postgresBenchStore(process.env.BENCH_POSTGRES)] : []),
];

if (!(await hasWrk())) {
  process.stderr.write('wrk is not installed. Install it with: apt-get install -y wrk   (Debian/Ubuntu)\n');
  process.exit(1);
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-bench-'));
try {
  process.stdout.write(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; servers on core 0, wrk on core 1\n\n`,
  );
  if (parts.has('http')) {
    const http = await httpBenchmark(workDir, rounds, seconds);
    process.stdout.write(
      `## Polling one 50-item feed (${Math.round(http.feedBytes / 1024)} KB RSS), median of ${rounds} × ${seconds} s, 50 connections\n\n`,
    );
    process.stdout.write('| case | requests/s | p50 ms | p99 ms | ratio to ceiling |\n|---|---:|---:|---:|---:|\n');
    for (const row of http.rows)
      process.stdout.write(
        `| ${row.name} | ${fixed(row.result.requestsPerSecond)} | ${fixed(row.result.p50Ms, 2)} | ${fixed(row.result.p99Ms, 2)} | ${row.ratio === undefined ? '' : `${fixed(row.ratio, 2)}× (${row.against})`} |\n`,
      );
  }

  if (parts.has('scale')) {
    const scale = await scaleBenchmark(workDir, sizes, stores);
    process.stdout.write('\n## Normalising at scale (100 categories)\n\n');
    process.stdout.write(
      '| store | articles | first pass s | first pass peak RSS MB | unchanged pass s | unchanged peak RSS MB | bare walk s (readdir + lstat, the floor) | one edit: its pass ms | one edit, watcher on: write → all its feeds fresh on every replica ms | replicas | feeds re-rendered per replica | other feeds untouched |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n',
    );
    for (const row of scale)
      process.stdout.write(
        `| ${row.store} | ${row.articles} | ${fixed(row.firstPass.ms / 1000, 2)} | ${row.firstPass.maxRssMb} | ${fixed(row.unchangedPass.ms / 1000, 2)} | ${row.unchangedPass.maxRssMb} | ${fixed(row.bareWalk.ms / 1000, 2)} | ${row.editToFresh.passMs} | ${fixed(row.editToFresh.writeToFreshMs)}${row.editToFresh.servedFresh ? '' : ' (NOT served fresh)'} | ${row.editToFresh.replicas} | ${row.editToFresh.rerendered} | ${row.editToFresh.untouchedKept}/${row.editToFresh.otherFeeds} |\n`,
      );
  }

  if (parts.has('poll')) {
    const poll = await pollDuringPass(workDir, pollArticles, seconds);
    process.stdout.write(
      `\n## Poll latency while a pass re-normalises ${poll.articles} edited articles (pass took ${fixed(poll.passSeconds)} s)\n\n`,
    );
    process.stdout.write('| phase | requests/s | p50 ms | p99 ms |\n|---|---:|---:|---:|\n');
    for (const [phase, result] of [
      ['idle', poll.idle],
      ['during pass', poll.duringPass],
    ] as const)
      process.stdout.write(
        `| ${phase} | ${fixed(result.requestsPerSecond)} | ${fixed(result.p50Ms, 2)} | ${fixed(result.p99Ms, 2)} |\n`,
      );
    process.stdout.write(`\np99 during pass / idle: ${fixed(poll.duringPass.p99Ms / poll.idle.p99Ms, 2)}×\n`);
  }

  if (parts.has('live')) {
    const live = await liveEditLatency(workDir, liveArticles, 50);
    process.stdout.write(
      `\n## Live edit: write → served, watcher on, ${live.articles} articles, ${live.edits} edits\n\n`,
    );
    process.stdout.write('| median ms | p99 ms |\n|---:|---:|\n');
    process.stdout.write(`| ${fixed(live.medianMs, 1)} | ${fixed(live.p99Ms, 1)} |\n`);
  }
} finally {
  fs.rmSync(workDir, { recursive: true, force: true });
}
