/**
 * A demo host: the tiny web server of a company that embeds okr-embed in its own pages.
 * It runs on an origin of its own, so the widgets, the bundle and the API calls are really
 * cross-origin, and it does what a customer's server does: it serves its pages under a strict
 * Content-Security-Policy and signs short-lived tokens for its user with its org's embed key.
 * Only `okr serve --demo` starts these.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import jwt from 'jsonwebtoken';

export interface DemoHostUser {
  sub: string;
  name: string;
  email: string;
  teams: string[];
  scope: string;
}

export interface DemoHostOptions {
  /** Folder with the host's `index.html` and the assets it links. */
  siteDir: string;
  port: number;
  bffOrigin: string;
  key: { kid: string; secret: Buffer; issuer: string };
  user: DemoHostUser;
  /** Replaces `%NAME%` in index.html (values are HTML-escaped). `BFF_ORIGIN` is always set. */
  pageValues?: Record<string, string>;
  tokenTtlSeconds?: number;
}

export interface DemoHost {
  origin: string;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** No 'unsafe-inline' anywhere: the widgets must work on a locked-down page. */
export function hostCsp(bffOrigin: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${bffOrigin}`,
    `connect-src 'self' ${bffOrigin}`,
    "style-src 'self'",
    `img-src 'self' data: ${bffOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

export async function startDemoHost(options: DemoHostOptions): Promise<DemoHost> {
  const csp = hostCsp(options.bffOrigin);
  const values: Record<string, string> = {
    ...options.pageValues,
    BFF_ORIGIN: options.bffOrigin,
    USER_NAME: options.user.name,
  };
  const template = await readFile(path.join(options.siteDir, 'index.html'), 'utf8');
  const page = template.replace(/%([A-Z_]+)%/g, (whole, name: string) =>
    name in values ? escapeHtml(values[name] ?? '') : whole,
  );

  const signToken = () => {
    const ttl = options.tokenTtlSeconds ?? 300;
    const token = jwt.sign(
      {
        name: options.user.name,
        email: options.user.email,
        teams: options.user.teams,
        scope: options.user.scope,
      },
      options.key.secret,
      {
        algorithm: 'HS256',
        keyid: options.key.kid,
        issuer: options.key.issuer,
        audience: 'okr-embed',
        subject: options.user.sub,
        expiresIn: ttl,
      },
    );
    return { token, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
  };

  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const { pathname } = new URL(req.url ?? '/', 'http://host');
    if (pathname === '/token' && req.method === 'POST') {
      // A real host checks its own session here; the demo user is always signed in.
      return send(res, 200, 'application/json', JSON.stringify(signToken()));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed');
    }
    if (pathname === '/' || pathname === '/index.html') {
      return send(res, 200, contentTypes['.html']!, page);
    }
    // Only plain asset names from the site folder: no sub-paths, so no way out of it.
    const name = pathname.slice(1);
    const type = contentTypes[path.extname(name)];
    if (!/^[\w-]+\.(js|css)$/.test(name) || !type) {
      return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
    }
    try {
      return send(res, 200, type, await readFile(path.join(options.siteDir, name), 'utf8'));
    } catch {
      return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, 'text/plain; charset=utf-8', 'Server error'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, 'localhost', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
