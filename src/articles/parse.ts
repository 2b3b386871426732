import path from 'node:path';
import { reject, type ParseResult } from './article.js';
import { decodeArticleBytes } from './decode.js';
import { exceededLimit } from './limits.js';
import { parseJsonArticle } from './parse-json.js';
import { parseRawArticle } from './parse-raw.js';

/** Decodes and parses one article file's bytes, choosing the layout by extension, and holds it to the size limits. */
export function parseArticleFile(fileName: string, bytes: Uint8Array): ParseResult {
  if (bytes.length === 0) return reject('empty file');
  const decoded = decodeArticleBytes(bytes);
  if (!decoded.ok) return reject(decoded.reason);
  const parsed =
    path.extname(fileName).toLowerCase() === '.json' ? parseJsonArticle(decoded.text) : parseRawArticle(decoded.text);
  const overLimit = parsed.ok ? exceededLimit(parsed.article) : undefined;
  return overLimit ? reject(overLimit) : parsed;
}
