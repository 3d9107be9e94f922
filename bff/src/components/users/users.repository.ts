import { randomUUID } from 'node:crypto';
import type { TeamSummary } from '@okr-embed/contract';
import { isUniqueViolation, type Database, type Tx } from '../../lib/db.js';

export interface UserRecord {
  id: string;
  orgId: string;
  externalId: string;
  name: string;
  email: string | null;
  avatarUrl: string | null;
}

export interface UserClaims {
  sub: string;
  name: string;
  email: string | null;
  /** The OIDC `picture` claim, shown as the user's avatar. */
  avatarUrl: string | null;
  teams: string[] | undefined;
}

interface UserRow {
  id: string;
  org_id: string;
  external_id: string;
  name: string;
  email: string | null;
  avatar_url: string | null;
}

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  orgId: row.org_id,
  externalId: row.external_id,
  name: row.name,
  email: row.email,
  avatarUrl: row.avatar_url,
});

export function createUsersRepository(db: Database) {
  async function findUser(orgId: string, externalId: string): Promise<UserRecord | null> {
    const [row] = await db.select<UserRow>(
      `SELECT id, org_id, external_id, name, email, avatar_url FROM users
       WHERE org_id = :orgId AND external_id = :externalId`,
      { orgId, externalId },
    );
    return row ? toUser(row) : null;
  }

  async function teamsOf(userId: string): Promise<TeamSummary[]> {
    const rows = await db.select<{ id: string; team_key: string; name: string }>(
      `SELECT t.id, t.team_key, t.name FROM memberships m
       JOIN teams t ON t.id = m.team_id WHERE m.user_id = :userId ORDER BY t.team_key`,
      { userId },
    );
    return rows.map((row) => ({ id: row.id, key: row.team_key, name: row.name }));
  }

  async function ensureTeam(orgId: string, key: string): Promise<string> {
    const find = () =>
      db.select<{ id: string }>('SELECT id FROM teams WHERE org_id = :orgId AND team_key = :key', {
        orgId,
        key,
      });
    const [found] = await find();
    if (found) return found.id;
    const id = randomUUID();
    try {
      await db.execute(
        `INSERT INTO teams (id, org_id, team_key, name, parent_id, created_at)
         VALUES (:id, :orgId, :key, :key, NULL, :now)`,
        { id, orgId, key, now: Date.now() },
      );
      return id;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const [raced] = await find();
      if (!raced) throw error;
      return raced.id;
    }
  }

  return {
    findUser,
    teamsOf,

    async userExists(orgId: string, id: string, tx?: Tx): Promise<boolean> {
      const rows = await db.select(
        'SELECT id FROM users WHERE org_id = :orgId AND id = :id',
        { orgId, id },
        tx,
      );
      return rows.length > 0;
    },

    /** How many of `ids` are people of the org: one statement for a whole list. */
    async countUsers(orgId: string, ids: string[], tx?: Tx): Promise<number> {
      const [row] = await db.select<{ n: number }>(
        'SELECT COUNT(*) AS n FROM users WHERE org_id = :orgId AND id IN (:ids)',
        { orgId, ids },
        tx,
      );
      return Number(row?.n ?? 0);
    },

    async teamExists(orgId: string, id: string, tx?: Tx): Promise<boolean> {
      const rows = await db.select(
        'SELECT id FROM teams WHERE org_id = :orgId AND id = :id',
        { orgId, id },
        tx,
      );
      return rows.length > 0;
    },

    /**
     * Creates or refreshes the token's user, and its team memberships when the token lists
     * teams. Writes only when something changed, so a steady user costs two reads.
     */
    async upsertFromClaims(
      orgId: string,
      claims: UserClaims,
    ): Promise<{ user: UserRecord; teams: TeamSummary[] }> {
      let user = await findUser(orgId, claims.sub);
      const now = Date.now();
      if (!user) {
        const id = randomUUID();
        try {
          await db.execute(
            `INSERT INTO users (id, org_id, external_id, name, email, avatar_url, created_at, updated_at)
             VALUES (:id, :orgId, :sub, :name, :email, :avatarUrl, :now, :now)`,
            {
              id,
              orgId,
              sub: claims.sub,
              name: claims.name,
              email: claims.email,
              avatarUrl: claims.avatarUrl,
              now,
            },
          );
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
        user = await findUser(orgId, claims.sub);
        if (!user) throw new Error('user vanished after insert');
      } else if (
        user.name !== claims.name ||
        user.email !== claims.email ||
        user.avatarUrl !== claims.avatarUrl
      ) {
        await db.execute(
          'UPDATE users SET name = :name, email = :email, avatar_url = :avatarUrl, updated_at = :now WHERE id = :id',
          { id: user.id, name: claims.name, email: claims.email, avatarUrl: claims.avatarUrl, now },
        );
        user = { ...user, name: claims.name, email: claims.email, avatarUrl: claims.avatarUrl };
      }
      let teams = await teamsOf(user.id);
      if (claims.teams !== undefined) {
        const wanted = [...new Set(claims.teams)].sort();
        const have = teams.map((team) => team.key);
        if (wanted.join('\n') !== have.join('\n')) {
          const teamIds = await Promise.all(wanted.map((key) => ensureTeam(orgId, key)));
          const userId = user.id;
          try {
            await db.transaction(async (tx) => {
              await db.execute('DELETE FROM memberships WHERE user_id = :userId', { userId }, tx);
              for (const teamId of teamIds) {
                await db.execute(
                  'INSERT INTO memberships (user_id, team_id, org_id) VALUES (:userId, :teamId, :orgId)',
                  { userId, teamId, orgId },
                  tx,
                );
              }
            });
          } catch (error) {
            // Another request of the same user synced the same teams at the same moment.
            if (!isUniqueViolation(error)) throw error;
          }
          teams = await teamsOf(userId);
        }
      }
      return { user, teams };
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
