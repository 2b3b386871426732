import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx3xx: number;
  readonly socketErrors: number;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };

function latency(output: string, percentile: string): number {
  const match = new RegExp(`^\\s*${percentile}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(output);
  return match ? Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1) : NaN;
}

/** Runs wrk against a loopback URL for `seconds`, pinned to `cpu` when given; wrk stops by itself. */
export async function wrk(
  url: string,
  options: { seconds: number; connections: number; headers?: Record<string, string>; cpu?: number; script?: string },
): Promise<WrkResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) throw new Error(`refusing to load anything but loopback: ${url}`);
  const headerArgs = Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const scriptArgs = options.script ? ['-s', options.script] : [];
  const args = [
    '-t1',
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--latency',
    ...headerArgs,
    ...scriptArgs,
    url,
  ];
  const [command, commandArgs] =
    options.cpu === undefined ? ['wrk', args] : ['taskset', ['-c', String(options.cpu), 'wrk', ...args]];
  const { stdout } = await run(command, commandArgs, { timeout: (options.seconds + 30) * 1000 });
  return {
    requests: Number(/(\d+) requests in/.exec(stdout)?.[1] ?? NaN),
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN),
    p50Ms: latency(stdout, '50'),
    p99Ms: latency(stdout, '99'),
    non2xx3xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0),
    socketErrors: (/Socket errors: (.*)/.exec(stdout)?.[1] ?? '')
      .split(',')
      .reduce((sum, part) => sum + Number(/(\d+)/.exec(part)?.[1] ?? 0), 0),
  };
}

/** Whether wrk is installed; the benchmark explains how to get it when it is not. */
export async function hasWrk(): Promise<boolean> {
  try {
    await run('wrk', ['--version']);
    return true;
  } catch (error) {
    // wrk --version prints its usage and exits 1; only a missing binary is a problem.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
