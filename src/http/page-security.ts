import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { Config } from '../config.js';

/**
 * The security policy of every HTML page: articles show photos hosted elsewhere (agencies, CDNs) over https;
 * scripts stay ours alone. HSTS and upgrade-insecure-requests only make sense, and only work, when the site is
 * served over https.
 */
export function pageHelmetOptions(config: Config): HelmetOptions {
  const https = config.baseUrl.startsWith('https:');
  return {
    contentSecurityPolicy: {
      directives: {
        scriptSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    strictTransportSecurity: https,
  };
}

/**
 * The headers helmet sets on a page with that policy, worked out once, for pages whose headers are precomputed
 * with their bytes (a feed's HTML preview) instead of being set per request by the middleware.
 */
export function pageSecurityHeaders(config: Config): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  // The policy has no per-request parts (no nonces): the middleware only sets and removes fixed headers.
  const collector = {
    setHeader: (name: string, value: string) => (headers[name] = value),
    removeHeader: (name: string) => delete headers[name],
  } as unknown as ServerResponse;
  let failed: unknown;
  helmet(pageHelmetOptions(config))({} as IncomingMessage, collector, (error) => (failed = error));
  if (failed !== undefined) throw new Error(`page security headers: ${String(failed)}`);
  return Object.freeze(headers);
}
