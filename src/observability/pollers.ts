// Product tokens every browser (and many bots) send before their own: never what tells pollers apart.
const GENERIC_PRODUCTS = new Set(['mozilla', 'applewebkit', 'khtml', 'gecko', 'version', 'mobile', 'like']);
const BROWSERS = new Set(['chrome', 'firefox', 'safari', 'edg', 'opr', 'crios', 'fxios']);
const FAMILY_LENGTH = 40;
// Families tracked exactly; when a new one arrives with all taken, the least active goes into "other".
const TRACKED_FAMILIES = 64;
// Families shown in /metrics; the rest are summed into "other".
const SHOWN_FAMILIES = 20;
const MEMO_LIMIT = 1024;

/**
 * The family of a User-Agent: its first distinctive product name (`Feedly/1.0 (+http://…)` → `Feedly`,
 * `Mozilla/5.0 (compatible; Googlebot/2.1; …)` → `Googlebot`), `browser` for a plain web browser, `none` without one.
 */
export function userAgentFamily(userAgent: string | undefined): string {
  if (!userAgent) return 'none';
  const products = [...userAgent.matchAll(/([A-Za-z][\w.!+-]*)\/(?=v?\d)/g)].map((match) => match[1] ?? '');
  const distinctive = products.filter((name) => !GENERIC_PRODUCTS.has(name.toLowerCase()));
  const own = distinctive.find((name) => !BROWSERS.has(name.toLowerCase()));
  if (own) return own.slice(0, FAMILY_LENGTH);
  if (distinctive.length > 0) return 'browser';
  // No product token at all ("curl", "MyReader"): the first word names it.
  return (/^[\w.!+-]+/.exec(userAgent)?.[0] ?? 'other').slice(0, FAMILY_LENGTH);
}

export interface PollerCounts {
  requests: number;
  conditional: number;
  notModified: number;
}

function addInto(total: PollerCounts, counts: PollerCounts): void {
  total.requests += counts.requests;
  total.conditional += counts.conditional;
  total.notModified += counts.notModified;
}

/**
 * Feed requests per user-agent family, in bounded memory: the most active families exactly (up to 64), the rest
 * in "other", so an operator sees who polls without validators, and who gets 304s.
 */
export class PollerStats {
  private readonly families = new Map<string, PollerCounts>();
  private readonly other: PollerCounts = { requests: 0, conditional: 0, notModified: 0 };
  private readonly familyOf = new Map<string, string>();

  record(userAgent: string | undefined, conditional: boolean, status: number): void {
    const counts = this.countsOf(this.family(userAgent));
    counts.requests += 1;
    if (conditional) counts.conditional += 1;
    if (status === 304) counts.notModified += 1;
  }

  /** The top families by requests, and everything else as "other". */
  top(): Array<[string, PollerCounts]> {
    const ranked = [...this.families].sort(([, a], [, b]) => b.requests - a.requests);
    const other = { ...this.other };
    for (const [, counts] of ranked.slice(SHOWN_FAMILIES)) addInto(other, counts);
    return [
      ...ranked.slice(0, SHOWN_FAMILIES),
      ...(other.requests > 0 ? [['other', other] as [string, PollerCounts]] : []),
    ];
  }

  private family(userAgent: string | undefined): string {
    const key = userAgent ?? '';
    let family = this.familyOf.get(key);
    if (family === undefined) {
      if (this.familyOf.size >= MEMO_LIMIT) this.familyOf.clear();
      family = userAgentFamily(userAgent);
      this.familyOf.set(key, family);
    }
    return family;
  }

  private countsOf(family: string): PollerCounts {
    let counts = this.families.get(family);
    if (counts) return counts;
    if (this.families.size >= TRACKED_FAMILIES) {
      let least: [string, PollerCounts] | undefined;
      for (const entry of this.families) if (!least || entry[1].requests < least[1].requests) least = entry;
      if (least) {
        this.families.delete(least[0]);
        addInto(this.other, least[1]);
      }
    }
    counts = { requests: 0, conditional: 0, notModified: 0 };
    this.families.set(family, counts);
    return counts;
  }
}
