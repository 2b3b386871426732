// The ceiling: a bare node:http server answering with bytes computed before the first request and the same
// headers our service sends. Nothing any feed server could do per request is cheaper than this.
import fs from 'node:fs';
import http from 'node:http';

interface CeilingVariant {
  readonly bodyFile: string;
  readonly headers: Record<string, string>;
  readonly notModifiedHeaders: Record<string, string>;
}

const spec = JSON.parse(fs.readFileSync(process.argv[2] ?? '', 'utf8')) as {
  port: number;
  variants: Record<'identity' | 'gzip' | 'br', CeilingVariant>;
};
const variants = Object.fromEntries(
  Object.entries(spec.variants).map(([coding, variant]) => [
    coding,
    { ...variant, body: fs.readFileSync(variant.bodyFile) },
  ]),
) as Record<'identity' | 'gzip' | 'br', CeilingVariant & { body: Buffer }>;

http
  .createServer((req, res) => {
    const accept = req.headers['accept-encoding'] ?? '';
    const variant = accept.includes('br') ? variants.br : accept.includes('gzip') ? variants.gzip : variants.identity;
    if (req.headers['if-none-match'] !== undefined) {
      res.writeHead(304, variant.notModifiedHeaders);
      res.end();
      return;
    }
    res.writeHead(200, variant.headers);
    res.end(variant.body);
  })
  .listen(spec.port, '127.0.0.1', () => process.stdout.write('ready\n'));
