import yaml from 'js-yaml';
import type { ArticleMeta } from './article.js';
import { parseMeta } from './meta.js';

const FENCE = '---';

const ANCHORS_REFUSED =
  'front matter uses a YAML anchor (&name) or alias (*name); articles never need them, and aliases let a small file expand into millions of values';

class AnchorRefused extends Error {}

// An alias can only name an earlier anchor, so refusing the first anchor as soon as it is read stops every alias
// before it is expanded; an alias without an anchor is already a YAML error ("unidentified alias").
// js-yaml 4's parser state holds the anchor of the node just closed, though @types/js-yaml leaves it out.
function refuseAnchors(event: yaml.EventType, state: yaml.State & { anchor?: string | null }): void {
  if (event === 'close' && typeof state.anchor === 'string') throw new AnchorRefused(ANCHORS_REFUSED);
}

// js-yaml's reasons quote names from the file after their own words (unidentified alias "x", unknown tag !<x>), and a
// reason is public on /status: it keeps the words, and the place as the file's line (the fence is line 1).
function yamlSyntaxReason(error: unknown): string {
  const { reason, mark } = error as Partial<yaml.YAMLException>;
  const rule = (typeof reason === 'string' ? reason : '').split(/["'!<:]/, 1)[0]?.trim() || 'a syntax error';
  return mark ? `${rule} at line ${mark.line + 2}, column ${mark.column + 1}` : rule;
}

export type FrontMatterResult = { ok: true; meta: ArticleMeta; rest: string } | { ok: false; reason: string };

/** Splits an optional leading `---` YAML block from the article text and validates it. */
export function readFrontMatter(text: string): FrontMatterResult {
  const lines = text.split('\n');
  if (lines[0]?.trim() !== FENCE) return { ok: true, meta: { tags: [] }, rest: text };
  const closing = lines.findIndex((line, index) => index > 0 && line.trim() === FENCE);
  if (closing === -1) return { ok: false, reason: 'front matter opened with --- but never closed' };
  let data: unknown;
  try {
    // CORE_SCHEMA keeps dates as strings, so our strict date check sees exactly what was written.
    data = yaml.load(lines.slice(1, closing).join('\n'), { schema: yaml.CORE_SCHEMA, listener: refuseAnchors });
  } catch (error) {
    if (error instanceof AnchorRefused) return { ok: false, reason: error.message };
    return { ok: false, reason: `front matter is not valid YAML: ${yamlSyntaxReason(error)}` };
  }
  const meta = parseMeta(data);
  return meta.ok ? { ...meta, rest: lines.slice(closing + 1).join('\n') } : meta;
}
