/**
 * Serves the built operator dashboard (dist/dashboard, built from apps/dashboard) at `/`. Files are read once when the
 * server starts, so only files that exist in the build can ever be served (no path traversal).
 * Browser navigations to any other path get index.html (the app routes on the client); the API
 * prefixes and non-HTML requests keep their JSON 404.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { serverPath } from '../paths.ts';

export interface DashboardStaticOptions {
  /** The built app. Default: dist/dashboard inside this package. */
  root?: string;
  /** TESSERA_BASE_PATH (`''` for none): the prefix the routes are registered under. */
  basePath?: string;
}

interface Asset {
  body: Buffer;
  type: string;
  immutable: boolean;
}

const defaultRoot = serverPath('dist/dashboard/');
const reserved = ['/admin/api', '/graphql', '/v1', '/healthz', '/readyz'];
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
/** The page may load only its own scripts and styles, and no other site may frame it. */
const htmlHeaders = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-cache',
};

const notBuilt = Buffer.from(`<!doctype html><meta charset="utf-8"><title>Tessera</title>
<body style="font:16px system-ui;max-width:40em;margin:4em auto;padding:0 1em">
<h1>The dashboard is not built yet</h1>
<p>Run <code>npm run build -w @tessera/server</code> (or start with <code>npm start</code>, which
builds it), then restart the server.</p>
<p>The APIs work meanwhile: <code>/graphql</code>, <code>/v1</code>, <code>/admin/api</code>.</p>`);

function load(root: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else {
        const path = `/${relative(root, file).split(sep).join('/')}`;
        assets.set(path, {
          body: readFileSync(file),
          type: types[extname(name)] ?? 'application/octet-stream',
          // Vite puts content-hashed files under /assets: they never change, so cache them for a year.
          immutable: path.startsWith('/assets/'),
        });
      }
    }
  };
  try {
    walk(root);
  } catch {
    // No build: the placeholder page says how to make one.
  }
  return assets;
}

/**
 * index.html as served: the app is built with relative asset URLs (`./assets/…`), which would
 * break on deep links, so they become absolute under the base path; a meta tag tells the app its
 * base path (for its API calls, links and snippets).
 */
function withBasePath(html: Buffer, basePath: string): Buffer {
  const text = html
    .toString('utf8')
    .replace(/(\b(?:src|href)=")\.\//g, `$1${basePath}/`)
    .replace('<head>', `<head>\n    <meta name="tessera-base-path" content="${basePath}" />`);
  return Buffer.from(text);
}

/** @example void app.register(dashboardStatic()); */
export function dashboardStatic(options: DashboardStaticOptions = {}) {
  return async (app: FastifyInstance): Promise<void> => {
    const basePath = options.basePath ?? '';
    const assets = load(options.root ?? defaultRoot);
    const built = assets.get('/index.html');
    const index = built && withBasePath(built.body, basePath);

    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const path = (request.url.split('?')[0] ?? '/').slice(basePath.length) || '/';
      if (reserved.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return reply.callNotFound();
      const asset = assets.get(path);
      if (asset && path !== '/index.html') {
        return reply
          .type(asset.type)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
          .send(asset.body);
      }
      // Client-side routes: only browser navigations (Accept: text/html) get the app.
      const accept = request.headers.accept ?? '';
      if (path !== '/' && !accept.includes('text/html')) return reply.callNotFound();
      return reply
        .headers(htmlHeaders)
        .type('text/html; charset=utf-8')
        .send(index ?? notBuilt);
    };
    app.get('/', handler);
    app.get('/*', handler);
  };
}
