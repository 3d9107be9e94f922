import { z } from 'zod';
import { uuid } from '../../lib/schemas.js';

export const alignmentQuery = z
  .object({
    timeframe: z.union([z.literal('current'), uuid]).optional(),
    root: uuid.optional(),
    depth: z.coerce.number().int().min(0).max(50).default(10),
  })
  .strict();

export type AlignmentQuery = z.infer<typeof alignmentQuery>;
