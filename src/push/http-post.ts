import http from 'node:http';
import https from 'node:https';

/**
 * POSTs to one endpoint over kept-alive connections, at most `maxSockets` at once (fetch's shared pool may open a
 * socket before the previous one is back in it; an agent with maxSockets cannot).
 */
export class HttpPoster {
  private readonly agent: http.Agent;
  private readonly client: typeof http | typeof https;

  constructor(
    private readonly url: string,
    maxSockets: number,
    private readonly timeoutMs = 10_000,
  ) {
    const secure = new URL(url).protocol === 'https:';
    this.client = secure ? https : http;
    const agentOptions = { keepAlive: true, maxSockets };
    this.agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** Sends `body`; resolves with the answer's status once the answer has been read whole. */
  post(headers: Readonly<Record<string, string>>, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = this.client.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (response) => {
          response.resume();
          response.on('close', () =>
            response.complete
              ? resolve(response.statusCode ?? 0)
              : reject(new Error('the server closed the connection mid-answer')),
          );
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}

/** Throws unless `status` is a 2xx answer. */
export function expectSuccess(status: number, who: string): void {
  if (status < 200 || status >= 300) throw new Error(`${who} answered HTTP ${status}`);
}
