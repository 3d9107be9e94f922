import { z } from 'zod';
import { LIMITS } from '@okr-embed/contract';
import { cursor, limit, title } from '../../lib/schemas.js';

/** A person's id at the host (the token's `sub`), as the claims allow it. */
export const externalId = z.string().min(1).max(255);
export const teamKey = z.string().trim().min(1).max(LIMITS.teamKey);

export const directoryQuery = z
  .object({
    // A picker sends what is typed: blank text searches nothing, it lists everyone.
    q: z
      .string()
      .trim()
      .max(LIMITS.searchQuery)
      .transform((value) => value || undefined)
      .optional(),
    limit,
    cursor: cursor.optional(),
  })
  .strict();

export const externalIdParams = z.object({ externalId }).strict();
export const teamKeyParams = z.object({ key: teamKey }).strict();

export const provisionUserBody = z
  .object({
    name: title(200),
    email: z.string().trim().max(320).nullable().optional(),
    avatarUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .nullable()
      .optional(),
    teams: z.array(teamKey).max(100).optional(),
  })
  .strict();

export const provisionTeamBody = z
  .object({
    name: title(200),
    parentKey: teamKey.nullable().optional(),
    members: z.array(externalId).max(10_000).optional(),
  })
  .strict();

export type DirectoryQuery = z.infer<typeof directoryQuery>;
export type ProvisionUserBody = z.infer<typeof provisionUserBody>;
export type ProvisionTeamBody = z.infer<typeof provisionTeamBody>;
