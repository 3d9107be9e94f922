/**
 * The examples' host: what your own web server does for a page with widgets. It serves a built
 * example (or a folder of them) and, at `POST /okr-token`, signs a short-lived token for the user
 * who is logged in (here always the demo's Kim) with the org's embed key (docs/embedding.md §2).
 *
 *   OKR_EMBED_KID=… OKR_EMBED_SECRET=… OKR_EMBED_ISSUER=https://examples.okr-embed.example \
 *     PORT=5180 node docs/examples/host-server.mjs docs/examples/react19/dist
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** The demo data's Kim (`okr seed-demo`), so `owner="me"` has goals to show. */
export const exampleUser = {
  sub: 'demo-kim',
  name: 'Kim Schneider',
  email: 'kim@demo.example',
  teams: ['engineering', 'platform'],
};

/**
 * @param {{ root: string, port?: number, key: { kid: string, secret: Buffer, issuer: string } }} options
 * @returns {Promise<{ origin: string, close(): Promise<void> }>}
 */
export async function startExampleHost({ root, port = 0, key }) {
  const signToken = () =>
    jwt.sign(
      {
        name: exampleUser.name,
        email: exampleUser.email,
        teams: exampleUser.teams,
        scope: 'okr:read okr:checkin',
      },
      key.secret,
      {
        algorithm: 'HS256',
        keyid: key.kid,
        issuer: key.issuer,
        audience: 'okr-embed',
        subject: exampleUser.sub,
        expiresIn: '5m',
      },
    );

  const fileFor = async (pathname) => {
    const file = path.join(root, path.normalize(decodeURIComponent(pathname)));
    // Nothing outside the served folder, whatever the URL says.
    if (path.relative(root, file).startsWith('..')) return undefined;
    const info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) return path.join(file, 'index.html');
    return info?.isFile() ? file : undefined;
  };

  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://host');
    if (pathname === '/okr-token' && req.method === 'POST') {
      // Your server checks its own session here; the example's user is always logged in.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      return res.end(JSON.stringify({ token: signToken() }));
    }
    const file = req.method === 'GET' ? await fileFor(pathname) : undefined;
    const body = file && (await readFile(file).catch(() => undefined));
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('Not found');
    }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(port, 'localhost', () => resolve(undefined)));
  return {
    origin: `http://localhost:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { OKR_EMBED_KID, OKR_EMBED_SECRET, OKR_EMBED_ISSUER, PORT } = process.env;
  const root = process.argv[2];
  if (!root || !OKR_EMBED_KID || !OKR_EMBED_SECRET || !OKR_EMBED_ISSUER) {
    process.stderr.write(
      'usage: OKR_EMBED_KID=… OKR_EMBED_SECRET=… OKR_EMBED_ISSUER=… node host-server.mjs <dist>\n',
    );
    process.exit(2);
  }
  const host = await startExampleHost({
    root: path.resolve(root),
    port: Number(PORT ?? 5180),
    key: {
      kid: OKR_EMBED_KID,
      secret: Buffer.from(OKR_EMBED_SECRET, 'base64url'),
      issuer: OKR_EMBED_ISSUER,
    },
  });
  process.stdout.write(`Example host on ${host.origin}/\n`);
}
