import { z } from 'zod';
import { badRequest } from './errors.js';

/** Request pieces shared by several components. */

export const uuid = z.uuid({ version: 'v4' });

export const idParams = z.object({ id: uuid }).strict();

export const goalLevel = z.enum(['company', 'team', 'personal']);
export const progressStatus = z.enum([
  'not_started',
  'on_track',
  'needs_attention',
  'off_track',
  'accomplished',
]);
export const keyResultKind = z.enum([
  'increase',
  'decrease',
  'stay_above',
  'stay_below',
  'boolean',
  'initiative',
]);
export const progressSource = z.enum(['key_results', 'aligned_goals', 'both']);

/** What fits DECIMAL(18,4) with room to spare; bigger numbers are refused, never truncated. */
export const decimalValue = z.number().finite().min(-1e13).max(1e13);

/** Page size: asking for more than 100 gets 100 (the cap), not an error. */
export const limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(1_000_000)
  .default(20)
  .transform((value) => Math.min(value, 100));

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
