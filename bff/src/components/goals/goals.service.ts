import { type Goal, type GoalSummary, type Page } from '@okr-embed/contract';
import type { AuthContext } from '../../lib/auth.js';
import type { Database, Tx } from '../../lib/db.js';
import { progressPatches, type Changes } from '../../lib/changes.js';
import type { ViewCache } from '../../lib/view-cache.js';
import { AppError, conflict, forbidden, notFound } from '../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../lib/schemas.js';
import { z } from 'zod';
import type { CurrentTimeframe } from '../timeframes/current-timeframe.js';
import type { TimeframesRepository } from '../timeframes/timeframes.repository.js';
import type { UsersRepository } from '../users/users.repository.js';
import { goalSummary, type GoalCard } from './goal-card.js';
import { ownsGoal, requireVersion } from './goal-rules.js';
import type { GoalChanges, GoalFilters, GoalsRepository } from './goals.repository.js';
import type { GoalChains } from './goals.propagation.js';
import type { KeyResultsRepository } from '../key-results/key-results.repository.js';
import type { CreateGoalBody, ListGoalsQuery, UpdateGoalBody } from './goals.schema.js';

const goalCursor = z.tuple([z.number().int(), z.string().max(36)]);

export interface GoalsServiceDeps {
  db: Database;
  goals: GoalsRepository;
  keyResults: KeyResultsRepository;
  timeframes: TimeframesRepository;
  users: UsersRepository;
  goalCard: GoalCard;
  chains: GoalChains;
  views: ViewCache;
  changes: Changes;
  currentTimeframeId: CurrentTimeframe;
}

export function createGoalsService(deps: GoalsServiceDeps) {
  const {
    db,
    goals,
    keyResults,
    timeframes,
    users,
    goalCard,
    chains,
    views,
    changes,
    currentTimeframeId,
  } = deps;

  /**
   * Body references must name rows of the caller's org; a foreign id reads as missing. The
   * parent is checked against the locked chain by the writer itself.
   */
  async function checkReferences(auth: AuthContext, body: Partial<CreateGoalBody>, tx: Tx) {
    const orgId = auth.org.id;
    if (body.timeframeId && !(await timeframes.findTimeframe(orgId, body.timeframeId, tx)))
      throw notFound('Timeframe');
    if (body.teamId && !(await users.teamExists(orgId, body.teamId, tx))) throw notFound('Team');
    if (body.ownerId && !(await users.userExists(orgId, body.ownerId, tx))) throw notFound('Owner');
  }

  return {
    /** The card as GET answers it: shared by the org's users for a moment (see ViewCache). */
    async cachedGoalCard(auth: AuthContext, id: string): Promise<Goal> {
      const cached = views.get<Goal>(auth.org.id, `goal:${id}`);
      if (cached) return cached;
      const generation = views.generation(auth.org.id);
      const card = await goalCard(auth, id);
      views.set(auth.org.id, `goal:${id}`, generation, card);
      return card;
    },

    /**
     * A page of goals through the view cache, keyed by the filters as resolved (the caller's own
     * id for `owner=me`, the current timeframe's id, the decoded cursor): two users' My OKRs
     * are two keys, and any write to the org makes every page of it stale at once.
     */
    async listGoals(auth: AuthContext, query: ListGoalsQuery): Promise<Page<GoalSummary>> {
      const filters: GoalFilters = { limit: query.limit + 1 };
      if (query.owner) filters.ownerId = query.owner === 'me' ? auth.user.id : query.owner;
      if (query.team) {
        if (z.uuid().safeParse(query.team).success) filters.teamId = query.team;
        else filters.teamKey = query.team;
      }
      if (query.timeframe === 'current') {
        const current = await currentTimeframeId(auth.org.id);
        if (!current) return { items: [], nextCursor: null };
        filters.timeframeId = current;
      } else if (query.timeframe) filters.timeframeId = query.timeframe;
      if (query.level) filters.level = query.level;
      if (query.status) filters.status = query.status;
      if (query.parent) filters.parentId = query.parent === 'none' ? null : query.parent;
      if (query.q) filters.q = query.q;
      filters.after = decodeCursor(query.cursor, goalCursor);
      return views.through(auth.org.id, 'list', `goals:${JSON.stringify(filters)}`, async () => {
        const rows = await goals.listGoals(auth.org.id, filters);
        const page = rows.slice(0, query.limit);
        const last = page[page.length - 1];
        return {
          items: page.map(goalSummary),
          nextCursor:
            rows.length > query.limit && last ? encodeCursor([last.createdAt, last.id]) : null,
        };
      });
    },

    async createGoal(auth: AuthContext, body: CreateGoalBody): Promise<Goal> {
      const ownerId = body.ownerId === undefined ? auth.user.id : body.ownerId;
      const teamId = body.teamId ?? null;
      if (!ownsGoal(auth, { ownerId, teamId })) {
        throw forbidden('You may create goals owned by yourself or by one of your teams');
      }
      const { id, moved } = await db.transaction(async (tx) => {
        await checkReferences(auth, body, tx);
        const parentId = body.parentId ?? null;
        const chain = parentId ? await chains.lock(auth.org.id, [parentId], tx) : null;
        if (parentId && !chain?.goals.has(parentId)) throw notFound('Parent goal');
        const newId = await goals.insertGoal(
          {
            orgId: auth.org.id,
            title: body.title,
            description: body.description ?? null,
            level: body.level,
            ownerId,
            teamId,
            timeframeId: body.timeframeId,
            parentId,
            progressSource: body.progressSource,
          },
          tx,
        );
        const propagation = chain ? await chains.propagateFor(auth, chain, tx) : null;
        return { id: newId, moved: propagation ? progressPatches(propagation) : [] };
      });
      return changes.committedWith(
        auth.org.id,
        () => goalCard(auth, id),
        (card) => ({
          type: 'goal.created',
          change: { goals: [card], progress: moved, keyResults: [] },
        }),
      );
    },

    async updateGoal(
      auth: AuthContext,
      id: string,
      version: number,
      body: UpdateGoalBody,
    ): Promise<Goal> {
      const moved = await db.transaction(async (tx) => {
        // The goal's chain and the new parent's, locked together in the one ascending order.
        const chain = await chains.lock(
          auth.org.id,
          body.parentId ? [id, body.parentId] : [id],
          tx,
        );
        const goal = chain.goals.get(id);
        if (!goal) throw notFound('Goal');
        if (!ownsGoal(auth, goal)) throw forbidden('You may edit goals you or your teams own');
        requireVersion(version, goal.version);
        const next = {
          ownerId: body.ownerId === undefined ? goal.ownerId : body.ownerId,
          teamId: body.teamId === undefined ? goal.teamId : body.teamId,
        };
        if (!ownsGoal(auth, next))
          throw forbidden('The goal would no longer be yours or your team’s');
        await checkReferences(auth, body, tx);
        if (body.parentId) {
          if (!chain.goals.has(body.parentId)) throw notFound('Parent goal');
          for (
            let at: string | null = body.parentId;
            at;
            at = chain.goals.get(at)?.parentId ?? null
          ) {
            if (at === id) {
              throw conflict(
                'alignment_cycle',
                'A goal cannot be aligned under itself or its own descendant',
              );
            }
          }
        }
        const changes = Object.fromEntries(
          Object.entries(body).filter(([, value]) => value !== undefined),
        ) as GoalChanges;
        await goals.updateGoal(auth.org.id, id, changes, tx);
        const rollsUp =
          (changes.progressSource !== undefined &&
            changes.progressSource !== goal.progressSource) ||
          (changes.parentId !== undefined && changes.parentId !== goal.parentId) ||
          (changes.archived !== undefined && changes.archived !== goal.archived);
        if (rollsUp) {
          // Recomputed as it now is: the old parent loses it, the new one (if any) gains it, and
          // an archived goal counts for neither.
          chain.goals.set(id, {
            ...goal,
            progressSource: changes.progressSource ?? goal.progressSource,
            parentId: changes.parentId === undefined ? goal.parentId : changes.parentId,
            archived: changes.archived ?? goal.archived,
          });
          return progressPatches(await chains.propagateFor(auth, chain, tx));
        }
        return [];
      });
      return changes.committedWith(
        auth.org.id,
        () => goalCard(auth, id),
        (card) => ({
          type: 'goal.updated',
          change: { goals: [card], progress: moved, keyResults: [] },
        }),
      );
    },

    async deleteGoal(auth: AuthContext, id: string, version: number): Promise<void> {
      const moved = await db.transaction(async (tx) => {
        // Its key results go with it: they are locked first, as every chain writer does.
        await keyResults.lockForGoal(auth.org.id, id, tx);
        const chain = await chains.lock(auth.org.id, [id], tx);
        const goal = chain.goals.get(id);
        if (!goal) throw notFound('Goal');
        if (!ownsGoal(auth, goal)) throw forbidden('You may delete goals you or your teams own');
        requireVersion(version, goal.version);
        // Archived children too: they would be left under a goal that is gone.
        if ((await goals.childrenOf(auth.org.id, [id], tx)).length > 0) {
          throw new AppError(
            'goal_has_children',
            'Re-align or delete the aligned goals first',
            409,
          );
        }
        await goals.softDelete(auth.org.id, id, tx);
        chain.goals.delete(id);
        return progressPatches(await chains.propagateFor(auth, chain, tx));
      });
      // Its key results are not listed: they were never read, and they go with their goal.
      await changes.committed(auth.org.id, {
        type: 'goal.deleted',
        change: {
          goals: [],
          progress: moved,
          keyResults: [],
          deleted: { goalIds: [id], keyResultIds: [] },
        },
      });
    },
  };
}

export type GoalsService = ReturnType<typeof createGoalsService>;
