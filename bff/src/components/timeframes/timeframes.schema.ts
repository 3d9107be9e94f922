import { z } from 'zod';
import { LIMITS } from '@okr-embed/contract';
import { title } from '../../lib/schemas.js';

const day = z.iso.date();

export const createTimeframeBody = z
  .object({ name: title(LIMITS.timeframeName), startDate: day, endDate: day })
  .strict()
  .refine((t) => t.startDate <= t.endDate, {
    message: 'endDate must not be before startDate',
    path: ['endDate'],
  });

export type CreateTimeframeBody = z.infer<typeof createTimeframeBody>;
