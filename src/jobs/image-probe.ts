// A failed probe is tried again after an hour.
const RETRY_FAILED_AFTER_MS = 60 * 60 * 1000;

interface Probed {
  readonly type?: string;
  readonly length?: number;
  readonly at: number;
}

/**
 * Finds an image's size and type with a HEAD request (bounded by a timeout), remembering answers for the life of
 * the process, so each image is asked about once. Enclosures need a real length: an unknown one stays unknown.
 */
export class ImageProbe {
  private readonly known = new Map<string, Probed>();

  constructor(private readonly timeoutMs: number) {}

  async details(url: string): Promise<{ type?: string; length?: number }> {
    const cached = this.known.get(url);
    if (cached && (cached.length !== undefined || Date.now() - cached.at < RETRY_FAILED_AFTER_MS)) return cached;
    let probed: Probed = { at: Date.now() };
    try {
      const response = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(this.timeoutMs) });
      const length = Number(response.headers.get('content-length'));
      const type = response.headers.get('content-type')?.split(';')[0]?.trim();
      if (response.ok)
        probed = { at: probed.at, ...(length > 0 ? { length } : {}), ...(type?.startsWith('image/') ? { type } : {}) };
    } catch {
      // Unreachable or too slow: the length stays unknown and the enclosure is left out until a later probe.
    }
    this.known.set(url, probed);
    return probed;
  }
}
