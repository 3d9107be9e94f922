import { z } from 'zod';
import { LIMITS } from '@okr-embed/contract';
import {
  cursor,
  goalLevel,
  limit,
  progressSource,
  progressStatus,
  title as titleOf,
  uuid,
} from '../../lib/schemas.js';
import { keyResultDraft } from '../key-results/key-results.schema.js';

export const listGoalsQuery = z
  .object({
    owner: z.union([z.literal('me'), uuid]).optional(),
    team: z.string().min(1).max(LIMITS.teamKey).optional(),
    timeframe: z.union([z.literal('current'), uuid]).optional(),
    level: goalLevel.optional(),
    status: progressStatus.optional(),
    parent: z.union([z.literal('none'), uuid]).optional(),
    q: z.string().trim().min(1).max(LIMITS.searchQuery).optional(),
    limit,
    cursor: cursor.optional(),
  })
  .strict();

const title = titleOf(LIMITS.goalTitle);
const description = z.string().max(LIMITS.goalDescription).nullable();

export const createGoalBody = z
  .object({
    title,
    description: description.optional(),
    level: goalLevel,
    timeframeId: uuid,
    ownerId: uuid.nullable().optional(),
    teamId: uuid.nullable().optional(),
    parentId: uuid.nullable().optional(),
    progressSource: progressSource.default('key_results'),
    keyResults: z.array(keyResultDraft).max(LIMITS.keyResultsPerGoal).optional(),
  })
  .strict();

/** The goal's live key results, each exactly once, in their new order. */
export const reorderKeyResultsBody = z
  .object({
    keyResultIds: z
      .array(uuid)
      .min(1)
      .max(LIMITS.keyResultsPerGoal * 40)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'An id is listed twice' }),
  })
  .strict();

export const copyGoalBody = z
  .object({ timeframeId: uuid, includeChildren: z.boolean().default(false) })
  .strict();

export const updateGoalBody = z
  .object({
    title: title.optional(),
    description: description.optional(),
    level: goalLevel.optional(),
    timeframeId: uuid.optional(),
    ownerId: uuid.nullable().optional(),
    teamId: uuid.nullable().optional(),
    parentId: uuid.nullable().optional(),
    progressSource: progressSource.optional(),
    archived: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' });

export type ReorderKeyResultsBody = z.infer<typeof reorderKeyResultsBody>;
export type CopyGoalBody = z.infer<typeof copyGoalBody>;
export type ListGoalsQuery = z.infer<typeof listGoalsQuery>;
export type CreateGoalBody = z.infer<typeof createGoalBody>;
export type UpdateGoalBody = z.infer<typeof updateGoalBody>;
