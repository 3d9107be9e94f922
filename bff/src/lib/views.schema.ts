import { z } from 'zod';
import { SCOPES } from '@okr-embed/contract';
import type * as Api from '@okr-embed/contract';
import { goalLevel, keyResultKind, progressSource, progressStatus } from './schemas.js';

/**
 * The response shapes of `@okr-embed/api-types` as zod schemas: they document the answers in
 * the OpenAPI file, and the tests hold real answers to them. Strict objects, so an answer that
 * grew an undocumented (or internal) field fails its test.
 */

const isoTimestamp = z.iso.datetime();
const day = z.iso.date();
const unit01 = z.number().min(0).max(1);

export const userSummaryView = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  avatarUrl: z.string().nullable(),
});
export const teamSummaryView = z.strictObject({ id: z.uuid(), key: z.string(), name: z.string() });
export const timeframeSummaryView = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  startDate: day,
  endDate: day,
});
export const timeframeView = timeframeSummaryView.extend({ current: z.boolean() });

export const keyResultView = z.strictObject({
  id: z.uuid(),
  goalId: z.uuid(),
  title: z.string(),
  kind: keyResultKind,
  start: z.number(),
  target: z.number(),
  current: z.number(),
  unit: z.string().nullable(),
  weight: z.number(),
  owner: userSummaryView.nullable(),
  status: progressStatus,
  progress: unit01,
  version: z.number().int(),
  updatedAt: isoTimestamp,
});

export const checkInView = z.strictObject({
  id: z.uuid(),
  keyResultId: z.uuid(),
  author: userSummaryView,
  value: z.number(),
  status: progressStatus,
  comment: z.string().nullable(),
  createdAt: isoTimestamp,
});

export const goalRefView = z.strictObject({
  id: z.uuid(),
  title: z.string(),
  level: goalLevel,
  status: progressStatus,
  progress: unit01,
});

export const goalSummaryView = goalRefView.extend({
  owner: userSummaryView.nullable(),
  team: teamSummaryView.nullable(),
  timeframe: timeframeSummaryView,
  parentId: z.uuid().nullable(),
  childCount: z.number().int(),
  keyResultCount: z.number().int(),
  version: z.number().int(),
  updatedAt: isoTimestamp,
});

export const goalView = goalSummaryView.extend({
  description: z.string().nullable(),
  progressSource,
  archived: z.boolean(),
  keyResults: z.array(keyResultView),
  parent: goalRefView.nullable(),
  children: z.array(goalRefView),
  lastCheckIn: checkInView.nullable(),
  initiativesCount: z.boolean(),
});

export const pageView = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });

export const alignmentView = z.strictObject({
  nodes: z.array(
    z.strictObject({
      id: z.uuid(),
      parentId: z.uuid().nullable(),
      title: z.string(),
      level: goalLevel,
      status: progressStatus,
      progress: unit01,
      owner: userSummaryView.nullable(),
      depth: z.number().int(),
      childCount: z.number().int(),
    }),
  ),
});

export const meView = z.strictObject({
  user: userSummaryView.extend({ externalId: z.string(), email: z.string().nullable() }),
  org: z.strictObject({ id: z.uuid(), slug: z.string(), name: z.string() }),
  teams: z.array(teamSummaryView),
  scopes: z.array(z.enum(SCOPES)),
});

export const checkInResultView = z.strictObject({
  checkIn: checkInView,
  keyResult: keyResultView,
  goal: goalView,
  progress: z.array(
    z.strictObject({
      id: z.uuid(),
      progress: z.number(),
      status: progressStatus,
      updatedAt: z.string(),
    }),
  ),
});

export const timeframesView = z.strictObject({ items: z.array(timeframeView) });

export const copyGoalResultView = z.strictObject({
  goal: goalView,
  copies: z.array(z.strictObject({ sourceId: z.uuid(), id: z.uuid() })),
});

export const directoryUserView = userSummaryView.extend({
  externalId: z.string(),
  email: z.string().nullable().optional(),
});

export const directoryTeamView = z.strictObject({
  id: z.uuid(),
  key: z.string(),
  name: z.string(),
  parentKey: z.string().nullable(),
  memberCount: z.number().int(),
});

const historyPointView = z.strictObject({
  at: isoTimestamp,
  progress: unit01,
  status: progressStatus,
  value: z.number().optional(),
  author: userSummaryView.nullable().optional(),
  comment: z.string().nullable().optional(),
});

export const progressHistoryView = z.strictObject({
  subject: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('key-result'),
      id: z.uuid(),
      title: z.string(),
      kind: keyResultKind,
      start: z.number(),
      target: z.number(),
      unit: z.string().nullable(),
    }),
    z.strictObject({ type: z.literal('goal'), id: z.uuid(), title: z.string() }),
  ]),
  timeframe: timeframeSummaryView,
  initial: z.strictObject({ progress: unit01, value: z.number().optional() }),
  points: z.array(historyPointView),
});

/** Compile-time proof that each schema and the shared contract describe the same JSON. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const _contractMatches: [
  Same<z.infer<typeof goalView>, Api.Goal>,
  Same<z.infer<typeof goalSummaryView>, Api.GoalSummary>,
  Same<z.infer<typeof keyResultView>, Api.KeyResult>,
  Same<z.infer<typeof checkInView>, Api.CheckIn>,
  Same<z.infer<typeof alignmentView>, Api.Alignment>,
  Same<z.infer<typeof meView>, Api.Me>,
  Same<z.infer<typeof checkInResultView>, Api.CheckInResult>,
  Same<z.infer<typeof timeframeView>, Api.Timeframe>,
  Same<z.infer<typeof copyGoalResultView>, Api.CopyGoalResult>,
  Same<z.infer<typeof directoryUserView>, Api.DirectoryUser>,
  Same<z.infer<typeof directoryTeamView>, Api.DirectoryTeam>,
  Same<z.infer<typeof progressHistoryView>, Api.ProgressHistory>,
] = [true, true, true, true, true, true, true, true, true, true, true, true];
