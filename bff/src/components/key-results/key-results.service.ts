import { keyResultProgress, type KeyResult } from '@okr-embed/contract';
import { newKeyResult } from './new-key-result.js';
import type { AuthContext } from '../../lib/auth.js';
import type { Database, Tx } from '../../lib/db.js';
import { progressPatches, type Changes } from '../../lib/changes.js';
import { forbidden, notFound } from '../../lib/errors.js';
import { toStoredDecimal } from '../../lib/schemas.js';
import type { GoalChains } from '../goals/goals.propagation.js';
import { publicKeyResult } from '../goals/goal-card.js';
import { ownsGoal, ownsKeyResult, requireVersion } from '../goals/goal-rules.js';
import type { UsersRepository } from '../users/users.repository.js';
import type { KeyResultChanges, KeyResultsRepository } from './key-results.repository.js';
import type { CreateKeyResultBody, UpdateKeyResultBody } from './key-results.schema.js';

export interface KeyResultsServiceDeps {
  db: Database;
  keyResults: KeyResultsRepository;
  users: UsersRepository;
  chains: GoalChains;
  changes: Changes;
}

export function createKeyResultsService({
  db,
  keyResults,
  users,
  chains,
  changes,
}: KeyResultsServiceDeps) {
  async function checkOwner(auth: AuthContext, ownerId: string | null | undefined, tx: Tx) {
    if (ownerId && !(await users.userExists(auth.org.id, ownerId, tx))) throw notFound('Owner');
  }

  /** The key result as a write answers with it, read after the commit. */
  async function readKeyResult(auth: AuthContext, id: string): Promise<KeyResult> {
    const found = await keyResults.findKeyResult(auth.org.id, id);
    if (!found) throw notFound('Key result');
    return publicKeyResult(found);
  }

  /**
   * Locks the key result, then its goal's chain (the order every chain writer keeps), and
   * checks the caller may change it at this version.
   */
  async function lockOwned(auth: AuthContext, id: string, version: number, tx: Tx, verb: string) {
    const kr = await keyResults.lockKeyResult(auth.org.id, id, tx);
    if (!kr) throw notFound('Key result');
    const chain = await chains.lock(auth.org.id, [kr.goalId], tx);
    const goal = chain.goals.get(kr.goalId);
    if (!goal) throw notFound('Key result');
    if (!ownsKeyResult(auth, kr, goal))
      throw forbidden(`You may ${verb} key results you or your teams own`);
    requireVersion(version, kr.version);
    return { kr, chain };
  }

  return {
    async createKeyResult(
      auth: AuthContext,
      goalId: string,
      body: CreateKeyResultBody,
    ): Promise<KeyResult> {
      const { id, moved } = await db.transaction(async (tx) => {
        const chain = await chains.lock(auth.org.id, [goalId], tx);
        const goal = chain.goals.get(goalId);
        if (!goal) throw notFound('Goal');
        if (!ownsGoal(auth, goal))
          throw forbidden('You may add key results to goals you or your teams own');
        await checkOwner(auth, body.ownerId, tx);
        const newId = await keyResults.insertKeyResult(newKeyResult(auth, goalId, body), tx);
        const propagation = await chains.propagateFor(auth, chain, tx);
        return { id: newId, moved: progressPatches(propagation) };
      });
      return changes.committedWith(
        auth.org.id,
        () => readKeyResult(auth, id),
        (keyResult) => ({
          type: 'key-result.created',
          change: { goals: [], progress: moved, keyResults: [keyResult] },
        }),
      );
    },

    async updateKeyResult(
      auth: AuthContext,
      id: string,
      version: number,
      body: UpdateKeyResultBody,
    ): Promise<KeyResult> {
      const moved = await db.transaction(async (tx) => {
        const { kr, chain } = await lockOwned(auth, id, version, tx, 'edit');
        await checkOwner(auth, body.ownerId, tx);
        const changes: KeyResultChanges = Object.fromEntries(
          Object.entries(body).filter(([, value]) => value !== undefined),
        );
        for (const key of ['start', 'target', 'weight'] as const) {
          const value = changes[key];
          if (value !== undefined) changes[key] = toStoredDecimal(value);
        }
        changes.progress = keyResultProgress({
          kind: changes.kind ?? kr.kind,
          start: changes.start ?? kr.start,
          target: changes.target ?? kr.target,
          current: kr.current,
        });
        await keyResults.updateKeyResult(id, changes, tx);
        return progressPatches(await chains.propagateFor(auth, chain, tx));
      });
      return changes.committedWith(
        auth.org.id,
        () => readKeyResult(auth, id),
        (keyResult) => ({
          type: 'key-result.updated',
          change: { goals: [], progress: moved, keyResults: [keyResult] },
        }),
      );
    },

    async deleteKeyResult(auth: AuthContext, id: string, version: number): Promise<void> {
      const moved = await db.transaction(async (tx) => {
        const { chain } = await lockOwned(auth, id, version, tx, 'delete');
        await keyResults.softDelete(id, tx);
        return progressPatches(await chains.propagateFor(auth, chain, tx));
      });
      await changes.committed(auth.org.id, {
        type: 'key-result.deleted',
        change: {
          goals: [],
          progress: moved,
          keyResults: [],
          deleted: { goalIds: [], keyResultIds: [id] },
        },
      });
    },
  };
}

export type KeyResultsService = ReturnType<typeof createKeyResultsService>;
