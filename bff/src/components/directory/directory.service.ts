import type { DirectoryTeam, DirectoryUser, Page } from '@okr-embed/contract';
import { z } from 'zod';
import { hasScope, type AuthContext } from '../../lib/auth.js';
import type { Changes } from '../../lib/changes.js';
import { isUniqueViolation, type Database, type Tx } from '../../lib/db.js';
import { AppError, badRequest, conflict } from '../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../lib/schemas.js';
import type { DirectoryRepository, DirectoryUserRecord } from './directory.repository.js';
import type { DirectoryQuery, ProvisionTeamBody, ProvisionUserBody } from './directory.schema.js';

const directoryCursor = z.tuple([z.string().max(300), z.string().max(36)]);

/** Names a field of what is being provisioned for an error: `body.teams.2`, or a CSV cell. */
export type FieldName = (field: string) => string;

const inBody: FieldName = (field) => `body.${field}`;

/** Something that refers to a row that is not there: a 400 at the field that names it. */
const unknownRef = (field: string, message: string) => badRequest(message, [{ field, message }]);

/**
 * Two calls provisioning the same new person or team at once: the second one's INSERT meets the
 * first one's row. Run again, it finds that row and updates it, as if it had come second.
 */
async function onceMoreOnRace<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return run();
  }
}

/** Carries a dry run's answer out of the transaction it rolls back. */
class DryRun {
  constructor(readonly result: unknown) {}
}

export interface ProvisionedUser {
  user: DirectoryUser;
  created: boolean;
}

export interface ProvisionedTeam {
  team: DirectoryTeam;
  created: boolean;
}

export interface DirectoryServiceDeps {
  db: Database;
  directory: DirectoryRepository;
  changes: Changes;
}

export function createDirectoryService({ db, directory, changes }: DirectoryServiceDeps) {
  /** The view of a person: their email only for an admin. */
  function userView(user: DirectoryUserRecord, withEmail: boolean): DirectoryUser {
    const view: DirectoryUser = {
      id: user.id,
      name: user.name,
      avatarUrl: user.avatarUrl,
      externalId: user.externalId,
    };
    if (withEmail) view.email = user.email;
    return view;
  }

  const provisioning = {
    /**
     * Creates or updates one person inside `tx`. Email and avatar stay as they are unless sent;
     * `teams`, when sent, become the person's memberships and must all exist.
     */
    async user(
      orgId: string,
      externalId: string,
      body: ProvisionUserBody,
      tx: Tx,
      field: FieldName = inBody,
    ): Promise<ProvisionedUser> {
      const keys = [...new Set(body.teams ?? [])];
      const [found, teams] = await db.inOrder([
        () => directory.usersByExternalIds(orgId, [externalId], tx),
        () => directory.teamsByKeys(orgId, keys, tx),
      ]);
      const missing = (body.teams ?? []).findIndex((key) => !teams.has(key));
      if (missing >= 0) {
        throw unknownRef(field(`teams.${missing}`), `No team with key "${body.teams?.[missing]}"`);
      }
      const was = found.get(externalId);
      const next = {
        externalId,
        name: body.name,
        email: body.email === undefined ? (was?.email ?? null) : body.email,
        avatarUrl: body.avatarUrl === undefined ? (was?.avatarUrl ?? null) : body.avatarUrl,
      };
      const id = was ? was.id : await directory.insertUser(orgId, next, tx);
      if (was) await directory.updateUser(id, next, tx);
      if (body.teams !== undefined) {
        await directory.setUserTeams(
          orgId,
          id,
          keys.map((key) => teams.get(key)?.id as string),
          tx,
        );
      }
      return { user: userView({ id, ...next }, true), created: !was };
    },

    /**
     * Creates or updates teams inside `tx`, all of them before any parent is set, so a parent
     * may be one provisioned later in the same call; a parent chain that would loop is refused.
     */
    async teams(
      orgId: string,
      items: Array<{ key: string; body: ProvisionTeamBody; field: FieldName }>,
      tx: Tx,
    ): Promise<ProvisionedTeam[]> {
      const keys = [...new Set(items.map((item) => item.key))];
      const known = await directory.teamsByKeys(orgId, keys, tx);
      const ids = new Map<string, string>();
      for (const item of items) {
        const was = known.get(item.key);
        if (was) {
          ids.set(item.key, was.id);
          continue;
        }
        if (ids.has(item.key)) continue;
        ids.set(
          item.key,
          await directory.insertTeam(
            orgId,
            { key: item.key, name: item.body.name, parentId: null },
            tx,
          ),
        );
      }
      const parentKeys = items
        .map((item) => item.body.parentKey)
        .filter((key): key is string => !!key && !ids.has(key));
      const parents = await directory.teamsByKeys(orgId, [...new Set(parentKeys)], tx);
      const idOf = (key: string) => ids.get(key) ?? parents.get(key)?.id;
      const tree = await directory.teamParents(orgId, tx);
      for (const item of items) {
        const id = ids.get(item.key) as string;
        const parentKey = item.body.parentKey;
        let parentId = known.get(item.key)?.parentId ?? null;
        if (parentKey === null) parentId = null;
        else if (parentKey !== undefined) {
          const found = idOf(parentKey);
          if (!found) {
            throw unknownRef(item.field('parentKey'), `No team with key "${parentKey}"`);
          }
          parentId = found;
        }
        tree.set(id, parentId);
        await directory.updateTeam(id, { name: item.body.name, parentId }, tx);
      }
      for (const item of items) {
        const id = ids.get(item.key) as string;
        const seen = new Set<string>();
        for (let at: string | null | undefined = id; at; at = tree.get(at)) {
          if (seen.has(at)) {
            throw conflict('team_cycle', `Team "${item.key}" would be its own ancestor`, [
              { field: item.field('parentKey'), message: 'The parent chain would loop' },
            ]);
          }
          seen.add(at);
        }
      }
      const memberIds = [...new Set(items.flatMap((item) => item.body.members ?? []))];
      const members = await directory.usersByExternalIds(orgId, memberIds, tx);
      const answers: ProvisionedTeam[] = [];
      for (const item of items) {
        const id = ids.get(item.key) as string;
        if (item.body.members !== undefined) {
          const missing = item.body.members.findIndex((member) => !members.has(member));
          if (missing >= 0) {
            throw unknownRef(
              item.field(`members.${missing}`),
              `No person with external id "${item.body.members[missing]}"`,
            );
          }
          const userIds = [...new Set(item.body.members)].map(
            (member) => members.get(member)?.id as string,
          );
          await directory.setTeamMembers(orgId, id, userIds, tx);
        }
      }
      const final = await directory.teamsByKeys(orgId, keys, tx);
      for (const item of items) {
        const team = final.get(item.key);
        if (!team) throw new Error('a provisioned team vanished inside its own transaction');
        answers.push({
          team: {
            id: team.id,
            key: team.key,
            name: team.name,
            parentKey: team.parentKey,
            memberCount: team.memberCount,
          },
          created: !known.has(item.key),
        });
      }
      return answers;
    },
  };

  /**
   * A whole file in one transaction: every row is written, or none. A dry run does the same
   * writes and checks, then rolls back. A refused row's error names its line and column.
   */
  async function importAll<T>(
    orgId: string,
    dryRun: boolean,
    work: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    let result: T | undefined;
    try {
      result = await db.transaction(async (tx) => {
        const done = await work(tx);
        if (dryRun) throw new DryRun(done);
        return done;
      });
    } catch (error) {
      if (error instanceof DryRun) return error.result as T;
      const detail = (error as AppError).details as Array<{ field?: string }> | undefined;
      if (error instanceof AppError && detail?.[0]?.field) {
        throw new AppError(
          error.code,
          `${detail[0].field}: ${error.message}`,
          error.status,
          detail,
        );
      }
      throw error;
    }
    await changes.committed(orgId);
    return result;
  }

  return {
    provisioning,

    async importUsers(
      orgId: string,
      rows: Array<{ externalId: string; body: ProvisionUserBody; field: FieldName }>,
      dryRun: boolean,
    ): Promise<{ created: number; updated: number }> {
      return importAll(orgId, dryRun, async (tx) => {
        let created = 0;
        for (const row of rows) {
          const answer = await provisioning.user(orgId, row.externalId, row.body, tx, row.field);
          if (answer.created) created += 1;
        }
        return { created, updated: rows.length - created };
      });
    },

    async importTeams(
      orgId: string,
      rows: Array<{ key: string; body: ProvisionTeamBody; field: FieldName }>,
      dryRun: boolean,
    ): Promise<{ created: number; updated: number }> {
      return importAll(orgId, dryRun, async (tx) => {
        const answers = await provisioning.teams(orgId, rows, tx);
        const created = answers.filter((answer) => answer.created).length;
        return { created, updated: answers.length - created };
      });
    },

    async listUsers(auth: AuthContext, query: DirectoryQuery): Promise<Page<DirectoryUser>> {
      const rows = await directory.listUsers(auth.org.id, {
        q: query.q,
        after: decodeCursor(query.cursor, directoryCursor),
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      const withEmail = hasScope(auth, 'okr:admin');
      return {
        items: page.map((user) => userView(user, withEmail)),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor([last.name.toLowerCase(), last.id])
            : null,
      };
    },

    async listTeams(auth: AuthContext, query: DirectoryQuery): Promise<Page<DirectoryTeam>> {
      const rows = await directory.listTeams(auth.org.id, {
        q: query.q,
        after: decodeCursor(query.cursor, directoryCursor),
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(({ parentId: _p, ...team }) => team),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor([last.key.toLowerCase(), last.id])
            : null,
      };
    },

    async provisionUser(
      auth: AuthContext,
      externalId: string,
      body: ProvisionUserBody,
    ): Promise<ProvisionedUser> {
      const answer = await onceMoreOnRace(() =>
        db.transaction((tx) => provisioning.user(auth.org.id, externalId, body, tx)),
      );
      await changes.committed(auth.org.id);
      return answer;
    },

    async provisionTeam(
      auth: AuthContext,
      key: string,
      body: ProvisionTeamBody,
    ): Promise<ProvisionedTeam> {
      const [answer] = await onceMoreOnRace(() =>
        db.transaction((tx) => provisioning.teams(auth.org.id, [{ key, body, field: inBody }], tx)),
      );
      if (!answer) throw new AppError('internal_error', 'No team was provisioned', 500);
      await changes.committed(auth.org.id);
      return answer;
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
