/**
 * Starts the real BFF in demo mode, as `npm start` does, on free ports with its own SQLite
 * file, and Debian's Chromium through playwright-core. End-to-end tests share these.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
  });
}

export interface DemoServer {
  /** The BFF's origin. */
  baseUrl: string;
  /** Acme's intranet home page, on its own origin. */
  demoUrl: string;
  /** The white-label partner page, on a third origin. */
  partnerUrl: string;
  output: () => string;
  /** Stops the process (BFF and demo sites) and keeps its database: `start()` brings it back. */
  halt: () => Promise<void>;
  /** Starts it again on the same ports and database, after `halt()`. */
  start: () => Promise<void>;
  /** Stops it for good and removes its data. */
  stop: () => Promise<void>;
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });

/** A port P with P+1 and P+2 free too: the BFF and its two demo sites (PORT+1, PORT+2). */
async function freePortTriple(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await portFree(base)) && (await portFree(base + 1)) && (await portFree(base + 2)))
      return base;
  }
  throw new Error('no three consecutive free ports');
}

function spawnDemo(port: number, dataDir: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    // What `npm start` runs: the built CLI through its bin (npm test builds before this suite).
    [path.join(repoRoot, 'bff/bin/okr.mjs'), 'serve', '--demo'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: `sqlite:${path.join(dataDir, 'okr-embed.sqlite')}`,
        OKR_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const urls = new Promise<{ bff: string; demo: string; partner: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`demo server did not start:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const bff = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      const demo = /Demo page: (http:\/\/\S+)/.exec(output)?.[1];
      const partner = /Partner demo: (http:\/\/\S+)/.exec(output)?.[1];
      if (bff && demo && partner) {
        clearTimeout(timer);
        resolve({ bff, demo, partner });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo server exited with ${code}:\n${output}`));
    });
  });
  const halt = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { urls, output: () => output, halt };
}

/**
 * Runs `okr serve --demo` as `npm start` does, on three free consecutive ports with a database
 * of its own, and resolves once it has printed the pages' URLs.
 */
export async function startDemoServer(): Promise<DemoServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'okr-e2e-'));
  const port = await freePortTriple();
  let running = spawnDemo(port, dataDir);
  const urls = await running.urls;
  return {
    baseUrl: urls.bff,
    demoUrl: urls.demo,
    partnerUrl: urls.partner,
    output: () => running.output(),
    halt: () => running.halt(),
    start: async () => {
      running = spawnDemo(port, dataDir);
      await running.urls;
    },
    stop: async () => {
      await running.halt();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught errors, failed responses and CSP violations, in order. */
  problems: string[];
}

/** A new page that records everything a user would call broken. */
export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  await page.exposeFunction('reportCspViolation', (text: string) => problems.push(`csp: ${text}`));
  // Runs in the page before its own scripts; a string, since it is browser code.
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (event) =>
    window.reportCspViolation(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline')));`);
  return { page, problems };
}

/** A token from a demo host's token endpoint, as its page would get one. */
export async function hostToken(hostUrl: string): Promise<string> {
  const response = await fetch(new URL('/token', hostUrl), { method: 'POST' });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}
