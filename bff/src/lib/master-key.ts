import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import { isUniqueViolation, type Database, type Tx } from './db.js';
import { AppError } from './errors.js';
import { decryptSecret, encryptSecret } from './secrets.js';
import type { OrgsRepository } from '../components/orgs/orgs.repository.js';

const keyFile = (config: Config) => path.join(config.dataDir, 'master.key');

export type MasterKeySource = 'environment' | 'demo-file' | 'none';

/**
 * The master key the demo generated, kept in the data folder so a restarted demo can still
 * decrypt its secrets. Only ever a fallback: OKR_MASTER_KEY wins, and production never reads it.
 * Outside the demo's own commands it is trusted only by a database whose check value it matches
 * (see `checkMasterKey`), so it can never silently encrypt another database's secrets.
 */
export function withStoredMasterKey(
  config: Config,
  generate: boolean,
): { config: Config; source: MasterKeySource } {
  if (config.masterKey) return { config, source: 'environment' };
  if (config.production) return { config, source: 'none' };
  const file = keyFile(config);
  if (existsSync(file)) {
    const masterKey = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    return { config: { ...config, masterKey }, source: 'demo-file' };
  }
  if (!generate) return { config, source: 'none' };
  const key = randomBytes(32);
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return { config: { ...config, masterKey: key }, source: 'demo-file' };
}

const CHECK_NAME = 'master_key_check';

/** A keyed hash of a fixed text: it proves which key is meant and reveals nothing of it. */
export function checkValueOf(masterKey: Buffer): string {
  return `v1.${createHmac('sha256', masterKey).update('okr-embed master key check').digest('base64url')}`;
}

const mismatch = () =>
  new AppError('master_key_mismatch', 'OKR_MASTER_KEY does not match this database', 500);

async function storedCheck(db: Database, tx?: Tx): Promise<string | undefined> {
  const [row] = await db.select<{ value: string }>(
    'SELECT value FROM instance_settings WHERE name = :name',
    { name: CHECK_NAME },
    tx,
  );
  return row?.value;
}

/** Records the check value of the key the secrets are now encrypted under (first use, rotation). */
export async function storeCheckValue(db: Database, masterKey: Buffer, tx?: Tx): Promise<void> {
  const params = { name: CHECK_NAME, value: checkValueOf(masterKey), now: Date.now() };
  await db.execute('DELETE FROM instance_settings WHERE name = :name', params, tx);
  await db.execute(
    'INSERT INTO instance_settings (name, value, updated_at) VALUES (:name, :value, :now)',
    params,
    tx,
  );
}

function sameCheck(stored: string, masterKey: Buffer): boolean {
  const expected = Buffer.from(checkValueOf(masterKey));
  const actual = Buffer.from(stored);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Holds the configured master key against the database, before any secret is touched: a wrong
 * key stops here with one line. A database from before check values learns one from its first
 * secret that decrypts. Returns the config to go on with: the demo's key file is dropped when
 * it belongs to another database (the commands that need a key then say OKR_MASTER_KEY is unset).
 */
export async function checkMasterKey(
  db: Database,
  config: Config,
  source: MasterKeySource,
  demo: boolean,
): Promise<Config> {
  const masterKey = config.masterKey;
  if (!masterKey) return config;
  const stored = await storedCheck(db);
  const trusted = source === 'environment' || demo;
  if (stored !== undefined) {
    if (sameCheck(stored, masterKey)) return config;
    if (!trusted) return { ...config, masterKey: undefined };
    throw mismatch();
  }
  if (!trusted) return { ...config, masterKey: undefined };
  const [secret] = await db.select<{ kid: string; secret_encrypted: string }>(
    'SELECT kid, secret_encrypted FROM embed_keys WHERE secret_encrypted IS NOT NULL LIMIT 1',
  );
  if (secret) {
    try {
      decryptSecret(secret.secret_encrypted, masterKey, secret.kid);
    } catch {
      throw mismatch();
    }
  }
  try {
    await storeCheckValue(db, masterKey);
  } catch (error) {
    // Another process recorded its key first: it must be this one.
    if (!isUniqueViolation(error)) throw error;
    const first = await storedCheck(db);
    if (first === undefined || !sameCheck(first, masterKey)) throw mismatch();
  }
  return config;
}

/**
 * Re-encrypts every HS256 secret under `next` and records its check value, in one transaction:
 * either every secret and the check value move to the new key, or nothing changes. A secret the
 * current key cannot decrypt stops it before anything is written, and is named.
 */
export async function rotateMasterKey(
  db: Database,
  orgs: OrgsRepository,
  current: Buffer,
  next: Buffer,
): Promise<{ reencrypted: string[] }> {
  return db.transaction(async (tx) => {
    const secrets = await orgs.encryptedSecrets(tx);
    const unreadable: string[] = [];
    const replaced = secrets.flatMap(({ kid, secretEncrypted }) => {
      try {
        const secret = decryptSecret(secretEncrypted, current, kid);
        return [{ kid, secretEncrypted: encryptSecret(secret, next, kid) }];
      } catch {
        unreadable.push(kid);
        return [];
      }
    });
    if (unreadable.length > 0) {
      throw new AppError(
        'key_unusable',
        `The current OKR_MASTER_KEY cannot decrypt ${unreadable.join(', ')}: retire those keys first (okr key retire --kid K); nothing was changed`,
        400,
      );
    }
    for (const { kid, secretEncrypted } of replaced) {
      await orgs.replaceSecret(kid, secretEncrypted, tx);
    }
    await storeCheckValue(db, next, tx);
    return { reencrypted: replaced.map((r) => r.kid) };
  });
}
