import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';

const keyFile = (config: Config) => path.join(config.dataDir, 'master.key');

/**
 * The master key the demo generated, kept in the data folder so a restarted demo can still
 * decrypt its secrets. Only ever a fallback: OKR_MASTER_KEY wins, and production never reads it.
 */
export function withStoredMasterKey(config: Config, generate: boolean): Config {
  if (config.masterKey || config.production) return config;
  const file = keyFile(config);
  if (existsSync(file)) {
    return { ...config, masterKey: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64') };
  }
  if (!generate) return config;
  const key = randomBytes(32);
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return { ...config, masterKey: key };
}
