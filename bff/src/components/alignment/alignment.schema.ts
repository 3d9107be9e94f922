import { z } from 'zod';
import { LIMITS } from '@okr-embed/contract';
import { uuid } from '../../lib/schemas.js';

export const alignmentQuery = z
  .object({
    timeframe: z.union([z.literal('current'), uuid]).optional(),
    root: uuid.optional(),
    depth: z.coerce
      .number()
      .int()
      .min(0)
      .max(LIMITS.alignmentDepthMax)
      .default(LIMITS.alignmentDepthDefault),
  })
  .strict();

export type AlignmentQuery = z.infer<typeof alignmentQuery>;
