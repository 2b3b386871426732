import type { FileKind } from './write-export.js';

export interface NginxSite {
  /** Absolute path of the export folder. */
  readonly root: string;
  /** `listen` parameters: a port, or an address and port. */
  readonly listen: string;
  readonly serverName: string;
  /** The path of BASE_URL ('' at the root), under which the site is served. */
  readonly basePath: string;
  /** How each kind of file is labelled (from writeExport): `*.html` for pages, file names for the rest. */
  readonly kinds: ReadonlyMap<string, FileKind>;
}

const quote = (value: string) => `"${value.replace(/["\\$]/g, '\\$&')}"`;
const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function labelled(kind: FileKind, indent: string): string[] {
  return [
    // An empty types block: every file here is sent as the service sends it, whatever its extension.
    `${indent}types { }`,
    `${indent}default_type ${quote(kind.contentType)};`,
    ...Object.entries(kind.headers).map(([name, value]) => `${indent}add_header ${name} ${quote(value)} always;`),
  ];
}

/**
 * An nginx `server` block serving an export: precompressed `.gz` (and, with ngx_brotli, `.br`) files beside each
 * document, the service's content types and caching headers, ETag and Last-Modified from the files (whose times
 * are the documents' Last-Modified), pages found by their `.html` or `index.html` file.
 */
export function nginxServerBlock(site: NginxSite): string {
  const { root, basePath } = site;
  const at = basePath === '' ? '/' : `${basePath}/`;
  const page = site.kinds.get('*.html');
  const files = [...site.kinds].filter(([pattern]) => pattern !== '*.html');
  return [
    'server {',
    `    listen ${site.listen};`,
    `    server_name ${site.serverName};`,
    '    etag on;',
    '    gzip_static on;',
    '    gzip_vary on;',
    '    # With ngx_brotli (Debian: libnginx-mod-http-brotli-static), the .br files too:',
    '    # brotli_static on;',
    ...files.flatMap(([name, kind]) => [
      `    location ~ ^${escapeRegex(basePath)}/(.+/)?${escapeRegex(name)}$ {`,
      basePath === '' ? `        root ${quote(root)};` : `        alias ${quote(root)}/$1${name};`,
      ...labelled(kind, '        '),
      '    }',
    ]),
    `    location ${at} {`,
    basePath === '' ? `        root ${quote(root)};` : `        alias ${quote(`${root}/`)};`,
    '        try_files $uri $uri.html $uri/index.html =404;',
    ...(page ? labelled(page, '        ') : []),
    '    }',
    '}',
    '',
  ].join('\n');
}
