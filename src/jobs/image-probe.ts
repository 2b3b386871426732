import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

// A failed probe is tried again after an hour.
const RETRY_FAILED_AFTER_MS = 60 * 60 * 1000;
const MAX_REDIRECTS = 3;
// Enough to get through a pass's new images quickly, few enough that a slow image host is not flooded.
const CONCURRENT_PROBES = 4;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

// Addresses an article's image URL must never make this service call: anything that is not the public internet
// (loopback, private, CGNAT, link-local, multicast, reserved, documentation, ULA, unspecified).
const NOT_PUBLIC = new net.BlockList();
const blockAll = (subnets: readonly string[], family: 'ipv4' | 'ipv6') => {
  for (const subnet of subnets) {
    const [prefix, bits] = subnet.split('/') as [string, string];
    NOT_PUBLIC.addSubnet(prefix, Number(bits), family);
  }
};
blockAll(
  [
    '0.0.0.0/8',
    '10.0.0.0/8',
    '100.64.0.0/10',
    '127.0.0.0/8',
    '169.254.0.0/16',
    '172.16.0.0/12',
    '192.0.0.0/24',
    '192.0.2.0/24',
    '192.88.99.0/24',
    '192.168.0.0/16',
    '198.18.0.0/15',
    '198.51.100.0/24',
    '203.0.113.0/24',
    '224.0.0.0/4',
    '240.0.0.0/4',
  ],
  'ipv4',
);
// ::/96 holds the unspecified and loopback addresses and the deprecated IPv4-compatible ones; 2001::/23 Teredo
// and other protocol assignments, 2002::/16 6to4 (both tunnel to an IPv4 address of the sender's choosing).
blockAll(
  [
    '::/96',
    '64:ff9b:1::/48',
    '100::/64',
    '2001::/23',
    '2001:db8::/32',
    '2002::/16',
    'fc00::/7',
    'fe80::/10',
    'fec0::/10',
    'ff00::/8',
  ],
  'ipv6',
);
// IPv4-mapped and NAT64 addresses reach the IPv4 address in their last 32 bits: judged by that address.
const EMBEDS_IPV4 = new net.BlockList();
EMBEDS_IPV4.addSubnet('::ffff:0:0', 96, 'ipv6');
EMBEDS_IPV4.addSubnet('64:ff9b::', 96, 'ipv6');

function embeddedIpv4(address: string): string {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  if (dotted !== undefined) return dotted;
  const groups = address
    .split(':')
    .slice(-2)
    .map((group) => parseInt(group || '0', 16));
  return groups.flatMap((group) => [group >> 8, group & 255]).join('.');
}

/** True for an address on the public internet; false for loopback, private, link-local and every other special range. */
export function isPublicAddress(address: string): boolean {
  const [bare = ''] = address.replace(/^\[|\]$/g, '').split('%');
  const family = net.isIP(bare);
  if (family === 4) return !NOT_PUBLIC.check(bare, 'ipv4');
  if (family !== 6) return false;
  if (EMBEDS_IPV4.check(bare, 'ipv6')) return isPublicAddress(embeddedIpv4(bare));
  return !NOT_PUBLIC.check(bare, 'ipv6');
}

class ProbeRefused extends Error {}

interface Target {
  readonly address: string;
  readonly family: number;
}

interface Probed {
  readonly type?: string;
  readonly length?: number;
  readonly at: number;
}

export interface ImageProbeOptions {
  readonly timeoutMs: number;
  /**
   * Host names that may be probed; when set, no other host is. Listed hosts are trusted even when they resolve to
   * private or loopback addresses (an operator's own image server on the internal network, or tests).
   */
  readonly allowedHosts?: readonly string[];
}

/**
 * Finds an image's size and type with a HEAD request (bounded by a timeout), remembering answers for the life of
 * the process, so each image is asked about once. Enclosures need a real length: an unknown one stays unknown.
 *
 * Image URLs come from article files, so a probe must not become a way to reach internal services: only http(s),
 * only public addresses (checked again after each redirect, at most three), and the connection goes to the very
 * address that was checked, so a DNS answer cannot change between the check and the connect.
 */
export class ImageProbe {
  private readonly known = new Map<string, Probed>();
  private readonly allowedHosts: ReadonlySet<string> | undefined;

  constructor(private readonly options: ImageProbeOptions) {
    this.allowedHosts =
      options.allowedHosts && new Set(options.allowedHosts.map((host) => host.toLowerCase().replace(/^\[|\]$/g, '')));
  }

  /** Probes every URL not yet known, a few at a time; resolves when each has an answer or gave up. */
  async probeAll(urls: Iterable<string>): Promise<void> {
    const waiting = [...urls];
    const probeNext = async (): Promise<void> => {
      for (let url = waiting.shift(); url !== undefined; url = waiting.shift()) await this.details(url);
    };
    await Promise.all(Array.from({ length: CONCURRENT_PROBES }, probeNext));
  }

  /** What an earlier probe found about `url`, without asking its host. */
  remembered(url: string): { type?: string; length?: number } | undefined {
    return this.known.get(url);
  }

  async details(url: string): Promise<{ type?: string; length?: number }> {
    const cached = this.known.get(url);
    if (cached && (cached.length !== undefined || Date.now() - cached.at < RETRY_FAILED_AFTER_MS)) return cached;
    let probed: Probed = { at: Date.now() };
    try {
      const response = await this.head(new URL(url), AbortSignal.timeout(this.options.timeoutMs));
      const length = Number(response.headers['content-length']);
      const type = response.headers['content-type']?.split(';')[0]?.trim();
      if (response.status >= 200 && response.status < 300)
        probed = { at: probed.at, ...(length > 0 ? { length } : {}), ...(type?.startsWith('image/') ? { type } : {}) };
    } catch {
      // Refused, unreachable or too slow: the length stays unknown and the enclosure is left out until a later probe.
    }
    this.known.set(url, probed);
    return probed;
  }

  private async head(start: URL, signal: AbortSignal): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
    let url = start;
    for (let redirects = 0; ; redirects += 1) {
      const response = await headRequest(url, await this.target(url), signal);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.status) || location === undefined) return response;
      if (redirects === MAX_REDIRECTS) throw new ProbeRefused(`more than ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url);
    }
  }

  /** The address to connect to for `url`, or ProbeRefused when the URL must not be asked. */
  private async target(url: URL): Promise<Target> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProbeRefused(`${url.protocol} is not http(s)`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (this.allowedHosts && !this.allowedHosts.has(host))
      throw new ProbeRefused(`${host} is not in IMAGE_PROBE_HOSTS`);
    const family = net.isIP(host);
    const addresses = family ? [{ address: host, family }] : await dns.lookup(host, { all: true, verbatim: true });
    // Every address must be public, not just the first: the resolver's order is not ours to rely on.
    if (!this.allowedHosts && !addresses.every(({ address }) => isPublicAddress(address)))
      throw new ProbeRefused(`${host} resolves to an address that is not public`);
    const [first] = addresses;
    if (!first) throw new ProbeRefused(`${host} has no address`);
    return first;
  }
}

function headRequest(
  url: URL,
  target: Target,
  signal: AbortSignal,
): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'HEAD',
        signal,
        // A fresh connection per probe, to the checked address whatever the resolver would say now.
        agent: false,
        lookup: (_hostname, options, callback) =>
          options.all ? callback(null, [target]) : callback(null, target.address, target.family),
      },
      (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, headers: response.headers });
      },
    );
    request.on('error', reject);
    request.end();
  });
}
