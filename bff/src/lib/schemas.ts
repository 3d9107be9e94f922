import { z } from 'zod';
import {
  GOAL_LEVELS,
  KEY_RESULT_KINDS,
  LIMITS,
  PROGRESS_SOURCES,
  PROGRESS_STATUSES,
} from '@okr-embed/contract';
import { badRequest } from './errors.js';

/** Request pieces shared by several components. */

export const uuid = z.uuid({ version: 'v4' });

export const idParams = z.object({ id: uuid }).strict();

export const goalLevel = z.enum(GOAL_LEVELS);
export const progressStatus = z.enum(PROGRESS_STATUSES);
export const keyResultKind = z.enum(KEY_RESULT_KINDS);
export const progressSource = z.enum(PROGRESS_SOURCES);

/** What fits DECIMAL(18,4) with room to spare; bigger numbers are refused, never truncated. */
export const decimalValue = z
  .number()
  .finite()
  .min(-LIMITS.decimalMagnitude)
  .max(LIMITS.decimalMagnitude);

/** Text of at most `max` characters, trimmed, not blank: titles and names. */
export const title = (max: number) => z.string().trim().min(1).max(max);

/** Page size: asking for more than the cap gets the cap, not an error. */
export const limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(1_000_000)
  .default(LIMITS.pageSizeDefault)
  .transform((value) => Math.min(value, LIMITS.pageSizeMax));

/** An opaque cursor: base64url text; its content is checked where it is decoded. */
export const cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/);

export function encodeCursor(parts: Array<string | number>): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor<T extends Array<string | number>>(
  value: string | undefined,
  shape: z.ZodType<T>,
): T | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString()));
    if (parsed.success) return parsed.data;
  } catch {
    // Falls through to the same answer as any other unreadable cursor.
  }
  throw badRequest('The cursor is not one this API gave out', [
    { field: 'query.cursor', message: 'Invalid cursor' },
  ]);
}

/** Rounds to the column's 4 decimals so SQLite and MySQL store and answer the same number. */
export function toStoredDecimal(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** `If-Match: "3"`, `W/"3"` or `3`: the version the client last saw. */
export const ifMatchHeader = z
  .string()
  .regex(/^(W\/)?"?\d{1,9}"?$/, 'If-Match must carry the version, e.g. "3"')
  .transform((value) => Number(value.replace(/\D/g, '')));
