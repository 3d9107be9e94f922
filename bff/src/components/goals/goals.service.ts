import {
  goalSummary as goalSummaryOf,
  type Goal,
  type GoalRef,
  type GoalSummary,
  type Page,
  type ProgressStatus,
  type TimeframeSummary,
} from '@okr-embed/contract';
import type { AuthContext } from '../../lib/auth.js';
import type { Database, Tx } from '../../lib/db.js';
import { progressPatches, type Changes } from '../../lib/changes.js';
import type { ViewCache } from '../../lib/view-cache.js';
import { ViewBody } from '../../lib/view-body.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../lib/schemas.js';
import { z } from 'zod';
import type { CurrentTimeframe } from '../timeframes/current-timeframe.js';
import type { TimeframesRepository } from '../timeframes/timeframes.repository.js';
import type { UsersRepository } from '../users/users.repository.js';
import { cardOf, goalSummary, type GoalCard } from './goal-card.js';
import { ownsGoal, requireVersion } from './goal-rules.js';
import type {
  ChainGoal,
  GoalChanges,
  GoalFilters,
  GoalsRepository,
  NewGoal,
} from './goals.repository.js';
import type { GoalChains } from './goals.propagation.js';
import type { KeyResultsRepository } from '../key-results/key-results.repository.js';
import type {
  CreateGoalBody,
  ListGoalsQuery,
  ReorderKeyResultsBody,
  UpdateGoalBody,
} from './goals.schema.js';
import { newKeyResult } from '../key-results/new-key-result.js';

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
  /** Refuses references outside the org; answers the timeframe when the body names one. */
  async function checkReferences(auth: AuthContext, body: Partial<CreateGoalBody>, tx: Tx) {
    const orgId = auth.org.id;
    const timeframe = body.timeframeId
      ? await timeframes.findTimeframe(orgId, body.timeframeId, tx)
      : undefined;
    if (timeframe === null) throw notFound('Timeframe');
    if (body.teamId && !(await users.teamExists(orgId, body.teamId, tx))) throw notFound('Team');
    if (body.ownerId && !(await users.userExists(orgId, body.ownerId, tx))) throw notFound('Owner');
    return timeframe;
  }

  /**
   * A goal just inserted, as its row now reads, when everything it shows is in hand: its owner
   * is the caller (or nobody) and its team one of the caller's. Null when a name would need a
   * read (an owner or team the caller does not carry).
   */
  function bornGoal(
    auth: AuthContext,
    row: NewGoal & { id: string; timeframe: TimeframeSummary },
    initial: { progress: number; status: ProgressStatus },
    now: number,
  ): ChainGoal | null {
    const { user } = auth;
    const owner =
      row.ownerId === null
        ? null
        : row.ownerId === user.id
          ? { id: user.id, name: user.name, avatarUrl: user.avatarUrl }
          : undefined;
    const team =
      row.teamId === null ? null : auth.teams.find((candidate) => candidate.id === row.teamId);
    if (owner === undefined || team === undefined) return null;
    const at = new Date(now).toISOString();
    // The view names the timeframe as a summary; its id column is not part of it.
    const { timeframeId: _timeframeId, ...fields } = row;
    return {
      ...fields,
      ...initial,
      owner,
      team,
      archived: false,
      version: 1,
      createdAt: now,
      updatedAt: at,
    };
  }

  /**
   * A goal just made has no children and no check-ins, and its parent is as the roll-up wrote
   * it: its card reads only the rest.
   */
  async function newGoalCard(auth: AuthContext, id: string, parent: GoalRef | null): Promise<Goal> {
    const [goal, krs] = await Promise.all([
      goals.findGoal(auth.org.id, id),
      keyResults.listForGoal(auth.org.id, id),
    ]);
    if (!goal) throw notFound('Goal');
    return cardOf({
      goal,
      keyResults: krs,
      parent,
      children: [],
      lastCheckIn: null,
      initiativesCount: auth.org.settings.initiativesCount,
    });
  }

  return {
    /** The card as GET answers it: shared by the org's users for a moment (see ViewCache). */
    async cachedGoalCard(auth: AuthContext, id: string): Promise<ViewBody<Goal>> {
      return views.through(auth.org.id, 'card', `goal:${id}`, async () =>
        ViewBody.of(await goalCard(auth, id)),
      );
    },

    /**
     * A page of goals through the view cache, keyed by the filters as resolved (the caller's own
     * id for `owner=me`, the current timeframe's id, the decoded cursor): two users' My OKRs
     * are two keys, and any write to the org makes every page of it stale at once.
     */
    async listGoals(
      auth: AuthContext,
      query: ListGoalsQuery,
    ): Promise<ViewBody<Page<GoalSummary>>> {
      const filters: GoalFilters = { limit: query.limit + 1 };
      if (query.owner) filters.ownerId = query.owner === 'me' ? auth.user.id : query.owner;
      if (query.team) {
        if (z.uuid().safeParse(query.team).success) filters.teamId = query.team;
        else filters.teamKey = query.team;
      }
      if (query.timeframe === 'current') {
        const current = await currentTimeframeId(auth.org.id);
        if (!current) return ViewBody.of<Page<GoalSummary>>({ items: [], nextCursor: null });
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
        return ViewBody.of<Page<GoalSummary>>({
          items: page.map(goalSummary),
          nextCursor:
            rows.length > query.limit && last ? encodeCursor([last.createdAt, last.id]) : null,
        });
      });
    },

    /**
     * The goal and its key results in one transaction of a handful of statements: the key
     * results in one INSERT, and the goal inserted at the progress they give it, so only a
     * parent's chain has anything to roll up.
     */
    async createGoal(auth: AuthContext, body: CreateGoalBody): Promise<Goal> {
      const ownerId = body.ownerId === undefined ? auth.user.id : body.ownerId;
      const teamId = body.teamId ?? null;
      if (!ownsGoal(auth, { ownerId, teamId })) {
        throw forbidden('You may create goals owned by yourself or by one of your teams');
      }
      const orgId = auth.org.id;
      const drafts = (body.keyResults ?? []).map((draft) => newKeyResult(auth, '', draft));
      const initial = goalSummaryOf({
        source: body.progressSource,
        keyResults: drafts.map((kr) => ({ ...kr, status: 'not_started' as const })),
        children: [],
        initiativesCount: auth.org.settings.initiativesCount,
      });
      const {
        newId: id,
        parent,
        moved,
        card,
      } = await db.transaction(async (tx) => {
        const timeframe = (await checkReferences(auth, body, tx)) as TimeframeSummary;
        const krOwners = [
          ...new Set(drafts.map((kr) => kr.ownerId).filter((at): at is string => !!at)),
        ].filter((at) => at !== auth.user.id);
        if (
          krOwners.length > 0 &&
          (await users.countUsers(orgId, krOwners, tx)) !== krOwners.length
        )
          throw notFound('Owner');
        const parentId = body.parentId ?? null;
        const chain = parentId ? await chains.lock(orgId, [parentId], tx) : null;
        if (parentId && !chain?.goals.has(parentId)) throw notFound('Parent goal');
        const row: NewGoal = {
          orgId,
          title: body.title,
          description: body.description ?? null,
          level: body.level,
          ownerId,
          teamId,
          timeframeId: body.timeframeId,
          parentId,
          progressSource: body.progressSource,
        };
        const now = Date.now();
        const newId = await goals.insertGoal(row, tx, initial, now);
        await db.inOrder([
          () =>
            keyResults.insertKeyResults(
              drafts.map((kr) => ({ ...kr, goalId: newId })),
              tx,
            ),
          // A goal born with progress (a key result already met) has that as its first point.
          () =>
            initial.progress !== 0 || initial.status !== 'not_started'
              ? goals.recordHistory(orgId, [{ id: newId, ...initial }], Date.now(), tx)
              : Promise.resolve(),
        ]);
        // On the parent's chain, the roll-up's one read brings the new goal's key results too:
        // with its row in hand, the answer needs no read after the commit.
        const born = chain && bornGoal(auth, { ...row, id: newId, timeframe }, initial, now);
        if (chain && born) chain.goals.set(newId, born);
        const rolled = chain && (await chains.propagateFor(auth, chain, tx));
        const parent = (parentId && rolled?.goals.get(parentId)) || null;
        return {
          newId,
          parent,
          moved: rolled ? progressPatches(rolled) : [],
          card:
            born && rolled
              ? cardOf({
                  goal: born,
                  keyResults: rolled.keyResults.filter((kr) => kr.goalId === newId),
                  parent,
                  children: [],
                  lastCheckIn: null,
                  initiativesCount: auth.org.settings.initiativesCount,
                })
              : null,
        };
      });
      return changes.committedWith(
        orgId,
        async () => card ?? newGoalCard(auth, id, parent),
        (card) => ({
          type: 'goal.created',
          change: { goals: [card], progress: moved, keyResults: card.keyResults },
        }),
      );
    },

    /**
     * Puts the goal's key results in the order given: every live one exactly once. An edit of
     * the goal, so it takes the goal's version and moves it.
     */
    async reorderKeyResults(
      auth: AuthContext,
      id: string,
      version: number,
      body: ReorderKeyResultsBody,
    ): Promise<Goal> {
      await db.transaction(async (tx) => {
        await keyResults.lockForGoal(auth.org.id, id, tx);
        const chain = await chains.lock(auth.org.id, [id], tx);
        const goal = chain.goals.get(id);
        if (!goal) throw notFound('Goal');
        if (!ownsGoal(auth, goal)) throw forbidden('You may edit goals you or your teams own');
        requireVersion(version, goal.version);
        const live = await keyResults.listForGoal(auth.org.id, id, tx);
        const listed = new Set(body.keyResultIds);
        if (live.length !== listed.size || live.some((kr) => !listed.has(kr.id))) {
          throw badRequest('List every key result of the goal exactly once', [
            {
              field: 'body.keyResultIds',
              message: `The goal has ${live.length} key results: list each of them once`,
            },
          ]);
        }
        await db.inOrder([
          () => keyResults.reorder(auth.org.id, id, body.keyResultIds, tx),
          () => goals.updateGoal(auth.org.id, id, {}, tx),
        ]);
      });
      // A new order moves no progress: the card is the whole change.
      return changes.committedWith(
        auth.org.id,
        () => goalCard(auth, id),
        (card) => ({
          type: 'goal.updated',
          change: { goals: [card], progress: [], keyResults: card.keyResults },
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
