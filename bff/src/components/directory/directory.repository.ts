import { randomUUID } from 'node:crypto';
import { bulkInsert } from '../../lib/bulk-insert.js';
import type { Database, Tx } from '../../lib/db.js';

export interface DirectoryUserRecord {
  id: string;
  externalId: string;
  name: string;
  email: string | null;
  avatarUrl: string | null;
}

export interface DirectoryTeamRecord {
  id: string;
  key: string;
  name: string;
  parentId: string | null;
  parentKey: string | null;
  memberCount: number;
}

export interface DirectoryFilters {
  q?: string;
  /** The last row of the page before: its sort key, lower-cased, and its id. */
  after?: [string, string];
  limit: number;
}

/** `q` as a case-insensitive "contains" pattern; '!' escapes LIKE wildcards on both dialects. */
const patternOf = (q: string) => `%${q.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;

interface UserRow {
  id: string;
  external_id: string;
  name: string;
  email: string | null;
  avatar_url: string | null;
}

const toUser = (row: UserRow): DirectoryUserRecord => ({
  id: row.id,
  externalId: row.external_id,
  name: row.name,
  email: row.email,
  avatarUrl: row.avatar_url,
});

interface TeamRow {
  id: string;
  team_key: string;
  name: string;
  parent_id: string | null;
  parent_key: string | null;
  member_count: number;
}

const teamSelect = `
  SELECT t.id, t.team_key, t.name, t.parent_id, p.team_key AS parent_key,
         (SELECT COUNT(*) FROM memberships m WHERE m.team_id = t.id) AS member_count
  FROM teams t LEFT JOIN teams p ON p.id = t.parent_id`;

const toTeam = (row: TeamRow): DirectoryTeamRecord => ({
  id: row.id,
  key: row.team_key,
  name: row.name,
  parentId: row.parent_id,
  parentKey: row.parent_key,
  memberCount: Number(row.member_count),
});

/**
 * The org's people and teams as pickers search them and hosts provision them. The rows are the
 * ones sign-in creates from token claims (users/users.repository.ts): a person provisioned here
 * who signs in later is found by the same (org, external id) and keeps the same id.
 */
export function createDirectoryRepository(db: Database) {
  return {
    /** By name (case-insensitive), then id; `q` matches the name or the external id. */
    async listUsers(orgId: string, f: DirectoryFilters): Promise<DirectoryUserRecord[]> {
      const where = ['org_id = :orgId'];
      const params: Record<string, unknown> = { orgId, limit: f.limit };
      if (f.q) {
        where.push(
          "(LOWER(name) LIKE :pattern ESCAPE '!' OR LOWER(external_id) LIKE :pattern ESCAPE '!')",
        );
        params.pattern = patternOf(f.q);
      }
      if (f.after) {
        where.push('(LOWER(name) > :afterName OR (LOWER(name) = :afterName AND id > :afterId))');
        Object.assign(params, { afterName: f.after[0], afterId: f.after[1] });
      }
      const rows = await db.select<UserRow>(
        `SELECT id, external_id, name, email, avatar_url FROM users WHERE ${where.join(' AND ')}
         ORDER BY LOWER(name), id LIMIT :limit`,
        params,
      );
      return rows.map(toUser);
    },

    /** By key, then id; `q` matches the key or the name. */
    async listTeams(orgId: string, f: DirectoryFilters): Promise<DirectoryTeamRecord[]> {
      const where = ['t.org_id = :orgId'];
      const params: Record<string, unknown> = { orgId, limit: f.limit };
      if (f.q) {
        where.push(
          "(LOWER(t.team_key) LIKE :pattern ESCAPE '!' OR LOWER(t.name) LIKE :pattern ESCAPE '!')",
        );
        params.pattern = patternOf(f.q);
      }
      if (f.after) {
        where.push(
          '(LOWER(t.team_key) > :afterKey OR (LOWER(t.team_key) = :afterKey AND t.id > :afterId))',
        );
        Object.assign(params, { afterKey: f.after[0], afterId: f.after[1] });
      }
      const rows = await db.select<TeamRow>(
        `${teamSelect} WHERE ${where.join(' AND ')} ORDER BY LOWER(t.team_key), t.id LIMIT :limit`,
        params,
      );
      return rows.map(toTeam);
    },

    async usersByExternalIds(orgId: string, ids: string[], tx: Tx) {
      if (ids.length === 0) return new Map<string, DirectoryUserRecord>();
      const rows = await db.select<UserRow>(
        `SELECT id, external_id, name, email, avatar_url FROM users
         WHERE org_id = :orgId AND external_id IN (:ids)`,
        { orgId, ids },
        tx,
      );
      return new Map(rows.map((row) => [row.external_id, toUser(row)]));
    },

    async teamsByKeys(orgId: string, keys: string[], tx: Tx) {
      if (keys.length === 0) return new Map<string, DirectoryTeamRecord>();
      const rows = await db.select<TeamRow>(
        `${teamSelect} WHERE t.org_id = :orgId AND t.team_key IN (:keys)`,
        { orgId, keys },
        tx,
      );
      return new Map(rows.map((row) => [row.team_key, toTeam(row)]));
    },

    /** Every team's parent, for the cycle check: teams are few, and the walk is in JS. */
    async teamParents(orgId: string, tx: Tx): Promise<Map<string, string | null>> {
      const rows = await db.select<{ id: string; parent_id: string | null }>(
        'SELECT id, parent_id FROM teams WHERE org_id = :orgId',
        { orgId },
        tx,
      );
      return new Map(rows.map((row) => [row.id, row.parent_id]));
    },

    async insertUser(
      orgId: string,
      user: Omit<DirectoryUserRecord, 'id'>,
      tx: Tx,
    ): Promise<string> {
      const id = randomUUID();
      await db.execute(
        `INSERT INTO users (id, org_id, external_id, name, email, avatar_url, created_at, updated_at)
         VALUES (:id, :orgId, :externalId, :name, :email, :avatarUrl, :now, :now)`,
        { id, orgId, ...user, now: Date.now() },
        tx,
      );
      return id;
    },

    async updateUser(id: string, user: Omit<DirectoryUserRecord, 'id'>, tx: Tx): Promise<void> {
      await db.execute(
        `UPDATE users SET name = :name, email = :email, avatar_url = :avatarUrl, updated_at = :now
         WHERE id = :id`,
        { id, ...user, now: Date.now() },
        tx,
      );
    },

    async insertTeam(
      orgId: string,
      team: { key: string; name: string; parentId: string | null },
      tx: Tx,
    ): Promise<string> {
      const id = randomUUID();
      await db.execute(
        `INSERT INTO teams (id, org_id, team_key, name, parent_id, created_at)
         VALUES (:id, :orgId, :key, :name, :parentId, :now)`,
        { id, orgId, ...team, now: Date.now() },
        tx,
      );
      return id;
    },

    async updateTeam(
      id: string,
      team: { name: string; parentId: string | null },
      tx: Tx,
    ): Promise<void> {
      await db.execute(
        'UPDATE teams SET name = :name, parent_id = :parentId WHERE id = :id',
        { id, ...team },
        tx,
      );
    },

    /** The person's teams become exactly `teamIds`. */
    async setUserTeams(orgId: string, userId: string, teamIds: string[], tx: Tx): Promise<void> {
      await db.execute('DELETE FROM memberships WHERE user_id = :userId', { userId }, tx);
      const rows = teamIds.map((teamId) => ({ user_id: userId, team_id: teamId, org_id: orgId }));
      await bulkInsert(db, 'memberships', rows, tx);
    },

    /** The team's members become exactly `userIds`. */
    async setTeamMembers(orgId: string, teamId: string, userIds: string[], tx: Tx): Promise<void> {
      await db.execute('DELETE FROM memberships WHERE team_id = :teamId', { teamId }, tx);
      const rows = userIds.map((userId) => ({ user_id: userId, team_id: teamId, org_id: orgId }));
      await bulkInsert(db, 'memberships', rows, tx);
    },
  };
}

export type DirectoryRepository = ReturnType<typeof createDirectoryRepository>;
