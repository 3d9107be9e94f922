import { goalSummary, type ProgressStatus } from '@okr-embed/contract';
import type { AuthContext } from '../../lib/auth.js';
import { RetryTransaction, type Database, type Tx } from '../../lib/db.js';
import { TtlCache } from '../../lib/ttl-cache.js';
import type { ChainGoal, ChildGoal, GoalsRepository } from './goals.repository.js';
import { createRollUpInputsRepository } from './roll-up-inputs.repository.js';
import type { KeyResultRecord } from '../key-results/key-results.repository.js';

/*
 * Progress roll-up: a goal's cached progress and status come from its key results and its
 * live, unarchived children, so a change below moves every ancestor. Every writer that changes
 * a chain (check-in, key-result and goal writes) locks it the same way, then rolls it up here:
 *
 * 1. find the chain (the goals and all their ancestors) in one recursive statement;
 * 2. lock the whole chain in one `SELECT … FOR UPDATE`, ascending by id (MySQL; SQLite's
 *    transaction is exclusive from its first statement, so there is nothing to lock or move);
 * 3. compare what the lock re-read with step 1, and run the transaction again if a re-parent
 *    or an edit committed in between;
 * 4. read the chain's key results and children (one statement), compute every number in JS
 *    with the contract's `goalSummary` (a caller that has not written its own change yet patches
 *    it into what was read), and write the ones that moved in one statement, with a history row
 *    for each in a second sent alongside.
 *
 * The steps are separate so a writer can send several at once (`Database.inOrder`, one query on
 * MySQL): a check-in sends the chain's lock and the reads behind it in one query, and its writes
 * with the COMMIT in the next.
 *
 * Check-ins, the writers that come most often, may skip step 1: the goal ids of each key
 * result's chain are remembered from the last time it was found (`remembered`), locked and read
 * in the batch that locks the key results, and step 3 then checks the chain from what the lock
 * re-read (`confirm`): walked up from the key results' goals by the parents now stored, it must
 * be exactly the goals locked. A re-parent, a delete or another instance's edit since only costs
 * a retry that finds the chain again, so the remembered ids need no invalidation to be right.
 *
 * A key result's row is locked before its goal's chain, by every writer: key results first,
 * then the chain ascending by id. Reads after the locks see what others committed (READ
 * COMMITTED), and nobody changes a child's progress without holding its parent's lock, so the
 * numbers read are the ones to roll up.
 */

export interface Chain {
  /** Every goal of the chain by id, with the progress and status the lock re-read. */
  goals: Map<string, ChainGoal>;
}

export interface Propagation {
  /** The chain's goals as written: progress, status and `updatedAt` of those that moved. */
  goals: Map<string, ChainGoal>;
  /** What `write` stores: the goals whose progress or status changed. */
  moved: Array<{ id: string; progress: number; status: ProgressStatus }>;
  /** The chain's live key results, each goal's in its listed order. */
  keyResults: KeyResultRecord[];
  /** The chain's goals' live children (archived ones included, flagged), in creation order. */
  children: ChildGoal[];
}

export interface PropagationInputs {
  keyResults: KeyResultRecord[];
  children: ChildGoal[];
}

/**
 * The goal ids of each key result's chain, from its goal up to the root, as last found. Each
 * entry weighs its ids; 20 000 ids is about 2 MB. Stale entries are caught by `confirm`.
 */
export function rememberedChains() {
  return new TtlCache<string[]>(600_000, 20_000, Date.now, (ids) => ids.length);
}

export function createGoalChains(
  db: Database,
  goals: GoalsRepository,
  remembered = rememberedChains(),
) {
  const rollUpInputs = createRollUpInputsRepository(db);
  const chains = {
    /** Step 1: the chain of `ids` (or of key results' goals), unlocked. */
    async find(orgId: string, from: { ids: string[] } | { keyResultIds: string[] }, tx: Tx) {
      const found = await goals.chainOf(orgId, from, tx);
      return { goals: new Map(found.map((goal) => [goal.id, goal])) } satisfies Chain;
    },

    /** Steps 2–3: locks what `find` found; throws `RetryTransaction` if it moved meanwhile. */
    async lockFound(orgId: string, chain: Chain, tx: Tx): Promise<Chain> {
      if (db.dialect === 'sqlite' || chain.goals.size === 0) return chain;
      const locked = await goals.lockGoals(orgId, [...chain.goals.keys()], tx);
      const moved =
        locked.length !== chain.goals.size ||
        locked.some((row) => {
          const seen = chain.goals.get(row.id);
          return !seen || seen.parentId !== row.parentId || seen.version !== row.version;
        });
      if (moved) throw new RetryTransaction('the goal chain moved before it was locked');
      const fresh = new Map(chain.goals);
      for (const row of locked) {
        const goal = fresh.get(row.id) as ChainGoal;
        fresh.set(row.id, { ...goal, progress: row.progress, status: row.status });
      }
      return { goals: fresh };
    },

    /** Steps 1–3: the chain of `ids`, locked; a goal that does not exist is simply absent. */
    async lock(orgId: string, ids: string[], tx: Tx): Promise<Chain> {
      return chains.lockFound(orgId, await chains.find(orgId, { ids }, tx), tx);
    },

    /** The live key results and children of the chain's goals (`ids`), in one statement. */
    async read(orgId: string, ids: string[], tx: Tx): Promise<PropagationInputs> {
      if (ids.length === 0) return { keyResults: [], children: [] };
      return rollUpInputs.read(orgId, ids, tx);
    },

    /**
     * The goal ids of the chains of these key results, as found before; undefined unless every
     * one is remembered.
     */
    remembered(keyResultIds: string[]): string[] | undefined {
      const ids = new Set<string>();
      for (const id of keyResultIds) {
        const chain = remembered.get(id);
        if (!chain) return undefined;
        for (const goalId of chain) ids.add(goalId);
      }
      return [...ids];
    },

    /** Remembers the chain of each key result from a chain found and locked for them. */
    remember(keyResults: Array<{ id: string; goalId: string }>, chain: Chain): void {
      for (const kr of keyResults) {
        const path = pathUp(kr.goalId, chain.goals);
        if (path) remembered.set(kr.id, path);
      }
    },

    /**
     * Step 2 for remembered ids: locks them (MySQL, one statement, ascending by id) and reads
     * them after the lock, as they now are. One task of a batch: both statements join it.
     */
    lockRemembered(orgId: string, ids: string[], tx: Tx): Promise<ChainGoal[]> {
      if (db.dialect === 'sqlite') return goals.chainGoals(orgId, ids, tx);
      return db
        .inOrder([() => goals.lockGoals(orgId, ids, tx), () => goals.chainGoals(orgId, ids, tx)])
        .then(([, read]) => read);
    },

    /**
     * Step 3 for the ids remembered for `keyResultIds`: the goals read after the lock must be
     * the chains of the key results still there (`locked`) exactly, walked up by the parents
     * they now have. Otherwise all of `keyResultIds` are forgotten, and `RetryTransaction` runs
     * the transaction again, which finds their chains afresh.
     */
    confirm(
      keyResultIds: string[],
      locked: Array<{ id: string; goalId: string }>,
      read: ChainGoal[],
    ): Chain {
      const found = new Map(read.map((goal) => [goal.id, goal]));
      // Paths only step on goals that were read, so the same count means the same goals.
      const walked = new Set<string>();
      const intact = locked.every((kr) => {
        const path = pathUp(kr.goalId, found);
        path?.forEach((id) => walked.add(id));
        return path !== undefined;
      });
      if (!intact || walked.size !== found.size) {
        for (const id of keyResultIds) remembered.delete(id);
        throw new RetryTransaction('a remembered goal chain has moved');
      }
      return { goals: found };
    },

    /**
     * Step 4's arithmetic, in JS. `chain` holds the goals to recompute, as they now are (a
     * caller that edited or deleted one patches or drops it first).
     */
    compute(
      chain: Chain,
      inputs: PropagationInputs,
      initiativesCount: boolean,
      now: number,
    ): Propagation {
      const krsOf = groupBy(inputs.keyResults, (kr) => kr.goalId);
      const childrenOf = groupBy(
        inputs.children.filter((child) => !child.archived),
        (child) => child.parentId,
      );
      const next = new Map<string, { progress: number; status: ProgressStatus }>();
      // Deepest first, so each goal is computed from its children's new numbers.
      for (const goal of byDepth(chain.goals)) {
        next.set(
          goal.id,
          goalSummary({
            source: goal.progressSource,
            keyResults: krsOf.get(goal.id) ?? [],
            children: (childrenOf.get(goal.id) ?? []).map((child) => next.get(child.id) ?? child),
            initiativesCount,
          }),
        );
      }
      const written = new Map(chain.goals);
      const moved: Propagation['moved'] = [];
      for (const [id, value] of next) {
        const was = chain.goals.get(id) as ChainGoal;
        if (was.progress === value.progress && was.status === value.status) continue;
        moved.push({ id, ...value });
        written.set(id, { ...was, ...value, updatedAt: new Date(now).toISOString() });
      }
      const fresh = (child: ChildGoal): ChildGoal => {
        const value = next.get(child.id);
        return value ? { ...child, ...value } : child;
      };
      return {
        goals: written,
        moved,
        keyResults: inputs.keyResults,
        children: inputs.children.map(fresh),
      };
    },

    /** Every goal that moved, in one statement. */
    write(orgId: string, propagation: Propagation, now: number, tx: Tx): Promise<void> {
      return goals.writeProgress(orgId, propagation.moved, now, tx);
    },

    /** Step 4 whole, after the caller's writes, for writers that answer by reading again. */
    async propagate(
      orgId: string,
      chain: Chain,
      initiativesCount: boolean,
      now: number,
      tx: Tx,
    ): Promise<Propagation> {
      const propagated = chains.compute(
        chain,
        await chains.read(orgId, [...chain.goals.keys()], tx),
        initiativesCount,
        now,
      );
      await chains.write(orgId, propagated, now, tx);
      return propagated;
    },

    /** `propagate` for a request: its org, the org's initiatives setting, now. */
    propagateFor(auth: AuthContext, chain: Chain, tx: Tx): Promise<Propagation> {
      const { id, settings } = auth.org;
      return chains.propagate(id, chain, settings.initiativesCount, Date.now(), tx);
    },
  };
  return chains;
}

export type GoalChains = ReturnType<typeof createGoalChains>;

/**
 * The ids from `goalId` up to its root through `goals`; undefined when a goal on the way is not
 * among them (or the parents loop, which stored data should never do).
 */
function pathUp(goalId: string, goals: Map<string, { parentId: string | null }>) {
  const path: string[] = [];
  const seen = new Set<string>();
  for (let at: string | null = goalId; at !== null;) {
    const goal = goals.get(at);
    if (!goal || seen.has(at)) return undefined;
    seen.add(at);
    path.push(at);
    at = goal.parentId;
  }
  return path;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** The chain's goals, those with more ancestors inside the chain first. */
function byDepth(goals: Map<string, ChainGoal>): ChainGoal[] {
  const depth = new Map<string, number>();
  const depthOf = (goal: ChainGoal): number => {
    const known = depth.get(goal.id);
    if (known !== undefined) return known;
    // Marked before recursing: a cycle in stored data ends here instead of looping.
    depth.set(goal.id, 0);
    const parent = goal.parentId ? goals.get(goal.parentId) : undefined;
    const value = parent ? depthOf(parent) + 1 : 0;
    depth.set(goal.id, value);
    return value;
  };
  return [...goals.values()].sort((a, b) => depthOf(b) - depthOf(a));
}
