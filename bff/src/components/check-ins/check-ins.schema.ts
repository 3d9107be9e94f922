import { z } from 'zod';
import { LIMITS } from '@okr-embed/contract';
import { cursor, decimalValue, limit, progressStatus } from '../../lib/schemas.js';

export const createCheckInBody = z
  .object({
    value: decimalValue,
    status: progressStatus.optional(),
    comment: z.string().max(LIMITS.checkInComment).optional(),
  })
  .strict();

export const listCheckInsQuery = z.object({ limit, cursor: cursor.optional() }).strict();

export const idempotencyKeyHeader = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'Idempotency-Key is 1–255 visible ASCII characters');

export type CreateCheckInBody = z.infer<typeof createCheckInBody>;
export type ListCheckInsQuery = z.infer<typeof listCheckInsQuery>;
