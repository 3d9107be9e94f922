import { z } from 'zod';
import {
  decimalValue,
  goalLevel,
  keyResultKind,
  progressSource,
  progressStatus,
} from '../../lib/schemas.js';

/**
 * The JSON export, version 1. References are the export's own (a timeframe's and a goal's `ref`,
 * a team's `key`, a user's `externalId`), never database ids, so a file imports into any org of
 * any database. A later version gets a new number; an importer refuses numbers it does not know.
 */
const timestamp = z.iso.datetime();
const day = z.iso.date();
const text = (max: number) => z.string().min(1).max(max);

const checkIn = z.strictObject({
  author: text(255),
  value: decimalValue,
  status: progressStatus,
  comment: z.string().max(4000).nullable(),
  idempotencyKey: z.string().max(255).nullable(),
  version: z.number().int().min(1),
  createdAt: timestamp,
});

const keyResult = z.strictObject({
  title: text(200),
  kind: keyResultKind,
  start: decimalValue,
  target: decimalValue,
  current: decimalValue,
  unit: z.string().max(32).nullable(),
  weight: z.number().min(0).max(1e5),
  owner: text(255).nullable(),
  status: progressStatus,
  progress: z.number().min(0).max(1),
  version: z.number().int().min(1),
  createdAt: timestamp,
  updatedAt: timestamp,
  checkIns: z.array(checkIn),
});

export const exportDocument = z.strictObject({
  format: z.literal('okr-embed-export'),
  version: z.literal(1),
  timeframes: z.array(
    z.strictObject({
      ref: text(64),
      name: text(100),
      startDate: day,
      endDate: day,
      createdAt: timestamp,
    }),
  ),
  teams: z.array(
    z.strictObject({
      key: text(64),
      name: text(200),
      parent: text(64).nullable(),
      createdAt: timestamp,
    }),
  ),
  users: z.array(
    z.strictObject({
      externalId: text(255),
      name: text(200),
      email: z.string().max(320).nullable(),
      avatarUrl: z.string().max(2048).nullable(),
      teams: z.array(text(64)),
      createdAt: timestamp,
      updatedAt: timestamp,
    }),
  ),
  goals: z.array(
    z.strictObject({
      ref: text(64),
      title: text(200),
      description: z.string().max(10_000).nullable(),
      level: goalLevel,
      owner: text(255).nullable(),
      team: text(64).nullable(),
      timeframe: text(64),
      parent: text(64).nullable(),
      progressSource,
      status: progressStatus,
      progress: z.number().min(0).max(1),
      version: z.number().int().min(1),
      archived: z.boolean(),
      createdAt: timestamp,
      updatedAt: timestamp,
      keyResults: z.array(keyResult),
    }),
  ),
});

export type ExportDocument = z.infer<typeof exportDocument>;
