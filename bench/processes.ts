import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';

/** Starts a Node/TypeScript process pinned to `cpu` (when taskset exists) and waits for `ready` on stdout or a URL. */
export async function startProcess(
  args: readonly string[],
  options: { cpu?: number; env?: Record<string, string>; readyUrl?: string },
): Promise<ChildProcess> {
  const command =
    options.cpu === undefined
      ? ['node', '--import', 'tsx', ...args]
      : ['taskset', '-c', String(options.cpu), 'node', '--import', 'tsx', ...args];
  const child = spawn(command[0] ?? 'node', command.slice(1), {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  if (options.readyUrl) {
    while (Date.now() < deadline) {
      if ((await get(options.readyUrl).catch(() => undefined))?.status === 200) return child;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } else {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.on('exit', (code, signal) =>
        reject(new Error(`${args.join(' ')} exited with ${code ?? signal ?? 'no status'}`)),
      );
    });
    return child;
  }
  child.kill();
  throw new Error(`${args.join(' ')} did not become ready`);
}

export interface Fetched {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A loopback GET returning the raw (still encoded) body. */
export function get(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
