import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Config } from '../lib/config.js';
import { AppError } from '../lib/errors.js';
import type { MasterKeySource } from '../lib/master-key.js';

/**
 * The operator's mistake, not the system's: exit 2. `showUsage` is for a command line that is
 * malformed; a well-formed one with a bad value gets only the reason.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly code = 'usage',
    readonly showUsage = true,
  ) {
    super(message);
  }
}

/** A flag's value is wrong: say which and why, without the whole usage. */
export const badValue = (code: string, message: string) => new UsageError(message, code, false);

export interface CliContext {
  config: Config;
  masterKeySource: MasterKeySource;
  /** `seed-demo` and `serve --demo`: the demo's own key file may be created and trusted. */
  demo: boolean;
}

export type Command = (args: string[], context: CliContext) => Promise<void>;

type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Parsed {
  values: Values;
  positionals: string[];
}

export function parse(
  args: string[],
  options: Options,
  { required = [], positionals = [] }: { required?: string[]; positionals?: string[] } = {},
): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: positionals.length > 0,
    }) as Parsed;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  for (const name of required) {
    if (parsed.values[name] === undefined) throw new UsageError(`--${name} is required`);
  }
  if (parsed.positionals.length !== positionals.length) {
    throw new UsageError(
      `expected ${positionals.map((p) => `<${p}>`).join(' ')}, got ${parsed.positionals.length ? parsed.positionals.join(' ') : 'nothing'}`,
    );
  }
  for (const value of Object.values(parsed.values)) {
    if (value === '') throw new UsageError('a flag was given an empty value');
  }
  return parsed;
}

export const text = (values: Values, name: string) => values[name] as string | undefined;

export const list = (values: Values, name: string) => (values[name] as string[] | undefined) ?? [];

export function integer(
  values: Values,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = text(values, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`, 'usage', false);
  }
  return value;
}

export function onOff(values: Values, name: string): boolean | undefined {
  const raw = text(values, name);
  if (raw === undefined) return undefined;
  if (raw !== 'on' && raw !== 'off') throw badValue('usage', `--${name} is on or off`);
  return raw === 'on';
}

export function oneOf<T extends string>(
  values: Values,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const raw = text(values, name);
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw badValue('usage', `--${name} must be one of: ${allowed.join(', ')}`);
  }
  return raw as T;
}

export function print(values: Values, result: unknown, human: string) {
  process.stdout.write(`${values.json ? JSON.stringify(result, null, 2) : human}\n`);
}

/** Origins are checked before the database opens: a typo must not half-apply a change. */
export async function checkedOrigins(values: Values, name: string): Promise<string[]> {
  const { parseOrigin } = await import('../components/orgs/orgs.service.js');
  return list(values, name).map((origin) => {
    try {
      return parseOrigin(origin);
    } catch (error) {
      if (error instanceof AppError) throw badValue(error.code, `--${name}: ${error.message}`);
      throw error;
    }
  });
}
