import { IncomingMessage, type ServerResponse } from 'node:http';
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
  const headers = new Map<string, string>();
  // The policy has no per-request parts (no nonces): the middleware only sets and removes fixed headers.
  const collector = {
    setHeader: (name: string, value: string) => headers.set(name, value),
    removeHeader: (name: string) => headers.delete(name),
  } as unknown as ServerResponse;
  helmet(pageHelmetOptions(config))(Object.create(IncomingMessage.prototype) as IncomingMessage, collector, (error) => {
    if (error !== undefined) throw new Error('helmet could not set the page security headers', { cause: error });
  });
  return Object.freeze(Object.fromEntries(headers));
}
