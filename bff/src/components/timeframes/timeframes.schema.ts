import { z } from 'zod';

const day = z.iso.date();

export const createTimeframeBody = z
  .object({ name: z.string().trim().min(1).max(100), startDate: day, endDate: day })
  .strict()
  .refine((t) => t.startDate <= t.endDate, {
    message: 'endDate must not be before startDate',
    path: ['endDate'],
  });

export type CreateTimeframeBody = z.infer<typeof createTimeframeBody>;
