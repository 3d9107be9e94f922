/**
 * The set-up a reader of docs/embedding.md goes through, for the example hosts in docs/examples/:
 * an org seeded with the CLI that allows the host's origin, an HS256 key from `okr key add`, the
 * BFF from `okr serve`, and each example built with Vite for that BFF and served by
 * docs/examples/host-server.mjs with its token endpoint.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'vite';
import { startExampleHost } from '../../docs/examples/host-server.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const examplesDir = path.join(repoRoot, 'docs/examples');
const okrBin = path.join(repoRoot, 'bff/bin/okr.mjs');
const run = promisify(execFile);

export interface ExampleHosts {
  bffUrl: string;
  /** The host's origin; each example is under `/<name>/`. */
  hostUrl: string;
  /** A token as the examples' pages get one. */
  token: () => Promise<string>;
  /** Builds docs/examples/<name> with Vite's JS API to `/<name>/` of the host. */
  buildExample: (name: string) => Promise<void>;
  /** Builds the app in `root` with its own `vite build`, as its team would, to `/<name>/`. */
  buildApp: (name: string, root: string) => Promise<void>;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, 'localhost', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function okr(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [okrBin, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`okr ${args[0]} exited ${code}: ${err}`)),
    );
  });
}

export async function startExampleHosts(): Promise<ExampleHosts> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'okr-examples-'));
  const siteDir = path.join(dataDir, 'site');
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${path.join(dataDir, 'okr-embed.sqlite')}`,
    OKR_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  // The origin must be registered before the browser calls, so the host's port is chosen first.
  const hostPort = await freePort();
  const hostOrigin = `http://localhost:${hostPort}`;
  const seeded = JSON.parse(
    await okr(['seed-demo', '--org', 'examples', '--origin', hostOrigin, '--json'], env),
  ) as { issuer: string };
  const key = JSON.parse(
    await okr(['key', 'add', '--org', 'examples', '--alg', 'HS256', '--json'], env),
  ) as { kid: string; secret: string };

  const bff = spawn(process.execPath, [okrBin, 'serve'], {
    env: { ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const bffUrl = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve(url);
    };
    bff.stdout.on('data', onData);
    bff.stderr.on('data', onData);
    bff.once('exit', (code) => reject(new Error(`okr serve exited ${code}:\n${output}`)));
  });

  const host = await startExampleHost({
    root: siteDir,
    port: hostPort,
    key: { kid: key.kid, secret: Buffer.from(key.secret, 'base64url'), issuer: seeded.issuer },
  });

  return {
    bffUrl,
    hostUrl: host.origin,
    token: async () => {
      const response = await fetch(`${host.origin}/okr-token`, { method: 'POST' });
      return ((await response.json()) as { token: string }).token;
    },
    buildExample: async (name) => {
      // Vite reads VITE_* variables from the environment: what `VITE_OKR_BASE_URL=… vite build` does.
      process.env.VITE_OKR_BASE_URL = bffUrl;
      await build({
        root: path.join(examplesDir, name),
        logLevel: 'warn',
        build: { outDir: path.join(siteDir, name), emptyOutDir: true },
      });
    },
    buildApp: async (name, root) => {
      const vite = path.join(root, 'node_modules/vite/bin/vite.js');
      const outDir = path.join(siteDir, name);
      await run(process.execPath, [vite, 'build', '--outDir', outDir, '--logLevel', 'warn'], {
        cwd: root,
        env: { ...process.env, VITE_OKR_BASE_URL: bffUrl },
      });
    },
    stop: async () => {
      await host.close();
      if (bff.exitCode === null) {
        const exited = new Promise((resolve) => bff.once('exit', resolve));
        bff.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A copy of an example outside the repository, with `@okr-embed/widgets` installed from the
 * tarball `npm run pack` makes, as a team without access to this repository would install it.
 * npm runs offline; everything else the app needs is linked from the repository's install,
 * standing in for what the app's own install would fetch from the registry.
 */
export async function installPackedExample(
  name: string,
): Promise<{ root: string; remove(): void }> {
  const root = mkdtempSync(path.join(tmpdir(), `okr-packed-${name}-`));
  const { stdout } = await run(
    'npm',
    ['pack', '-w', 'widgets', '--pack-destination', root, '--json', '--silent'],
    { cwd: repoRoot },
  );
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  const example = path.join(examplesDir, name);
  cpSync(example, root, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|dist)$/.test(source),
  });
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const linked = (dependency: string) => {
    const own = path.join(example, 'node_modules', dependency);
    return `file:${existsSync(own) ? own : path.join(repoRoot, 'node_modules', dependency)}`;
  };
  manifest.dependencies = Object.fromEntries(
    Object.keys(manifest.dependencies).map((dependency) => [
      dependency,
      dependency === '@okr-embed/widgets'
        ? `file:${path.join(root, filename)}`
        : linked(dependency),
    ]),
  );
  // npm's cache holds the packages but not the registry's metadata an offline resolve needs, so
  // the tarball's own dependencies are linked from the repository too, as the app's React is.
  const widgets = JSON.parse(readFileSync(path.join(repoRoot, 'widgets/package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const dependency of Object.keys(widgets.dependencies)) {
    manifest.dependencies[dependency] = linked(dependency);
  }
  manifest.devDependencies = { vite: linked('vite') };
  writeFileSync(path.join(root, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // Vite's build sets NODE_ENV=production in this process, which would make npm skip Vite itself.
  await run(
    'npm',
    ['install', '--offline', '--include=dev', '--no-audit', '--no-fund', '--silent'],
    {
      cwd: root,
    },
  );
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
