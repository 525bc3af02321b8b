import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LOGGER, type Logger } from '@harmony/platform-observability';

/**
 * Where `vite build` of apps/web writes the page. From the sources this file
 * is libs/subscriptions/feature/src/page, five levels below the repository;
 * in a production bundle (dist/apps/<app>/libs/…) the same five levels lead
 * to dist/apps/<app>, beside which dist/apps/web sits — or a copy at
 * dist/apps/<app>/web (what an image may ship).
 */
const BASE = path.resolve(__dirname, '../../../../..');
export const WEB_ROOT_CANDIDATES = [path.join(BASE, 'dist/apps/web'), path.join(BASE, 'web'), path.join(BASE, '../web')];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The page loads only its own files and talks only to this origin; it is never framed. */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Harmony Webhooks</title>
<body>
<h1>The page is not built</h1><p>The API runs (see <a href="/docs">/docs</a>), but the Webhook Subscriptions page was not found.
Build it with <code>npx vite build --config apps/web/vite.config.mts</code>, or start with <code>npm start</code>, which builds it when needed.</p></body></html>`;

interface Request {
  method: string;
  url: string;
}
interface Response {
  statusCode: number;
  setHeader(name: string, value: string | number): void;
  end(body?: string | Buffer): void;
}
type Middleware = (request: Request, response: Response, next: () => void) => void;

/**
 * Serves the Webhook Subscriptions page (apps/web, built by Vite) at `/`:
 * `/` and `/index.html` (revalidated on every load) and `/assets/*`
 * (content-hashed names, cached for a year). The page routes with the URL
 * hash, so nothing else is needed; every other path falls through to the API.
 * Registered in onModuleInit, like the OpenAPI docs: after the routes, before
 * Nest's 404 handler.
 */
@Injectable()
export class WebPageStatic implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    const root = WEB_ROOT_CANDIDATES.find((candidate) => fs.existsSync(path.join(candidate, 'index.html'))) ?? null;
    if (root) this.logger.debug({ root }, 'serving the Webhook Subscriptions page');
    else this.logger.warn({ looked: WEB_ROOT_CANDIDATES }, 'the Webhook Subscriptions page is not built: / explains how to build it');
    (adapter as unknown as { use(handler: Middleware): void }).use(servePage(root));
  }
}

export function servePage(root: string | null): Middleware {
  return (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const pathname = decodePath(request.url.split('?', 1)[0] ?? '/');
    if (pathname === null) return next();
    const isIndex = pathname === '/' || pathname === '/index.html';
    if (!isIndex && !pathname.startsWith('/assets/')) return next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    if (!root) {
      if (!isIndex) return next();
      return send(response, request, 503, 'text/html; charset=utf-8', 'no-store', Buffer.from(NOT_BUILT));
    }
    const file = isIndex ? path.join(root, 'index.html') : path.join(root, pathname);
    // Only files inside the build folder (no ../ escapes).
    if (!file.startsWith(root + path.sep)) return next();
    fs.readFile(file, (error, body) => {
      if (error) return next();
      const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
      send(response, request, 200, type, isIndex ? 'no-cache' : 'public, max-age=31536000, immutable', body);
    });
  };
}

function send(response: Response, request: Request, status: number, type: string, cache: string, body: Buffer): void {
  response.statusCode = status;
  response.setHeader('content-type', type);
  response.setHeader('cache-control', cache);
  response.setHeader('content-length', body.length);
  response.end(request.method === 'HEAD' ? undefined : body);
}

function decodePath(pathname: string): string | null {
  try {
    return path.posix.normalize(decodeURIComponent(pathname));
  } catch {
    return null;
  }
}
