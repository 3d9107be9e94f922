import { keyResultProgress, type KeyResult } from '@okr-embed/contract';
import { newKeyResult } from './new-key-result.js';
import type { AuthContext } from '../../lib/auth.js';
import type { Database, Tx } from '../../lib/db.js';
import type { Changes } from '../../lib/changes.js';
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
      const id = await db.transaction(async (tx) => {
        const chain = await chains.lock(auth.org.id, [goalId], tx);
        const goal = chain.goals.get(goalId);
        if (!goal) throw notFound('Goal');
        if (!ownsGoal(auth, goal))
          throw forbidden('You may add key results to goals you or your teams own');
        await checkOwner(auth, body.ownerId, tx);
        const newId = await keyResults.insertKeyResult(newKeyResult(auth, goalId, body), tx);
        await chains.propagateFor(auth, chain, tx);
        return newId;
      });
      await changes.committed(auth.org.id);
      const created = await keyResults.findKeyResult(auth.org.id, id);
      if (!created) throw notFound('Key result');
      return publicKeyResult(created);
    },

    async updateKeyResult(
      auth: AuthContext,
      id: string,
      version: number,
      body: UpdateKeyResultBody,
    ): Promise<KeyResult> {
      await db.transaction(async (tx) => {
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
        await chains.propagateFor(auth, chain, tx);
      });
      await changes.committed(auth.org.id);
      const updated = await keyResults.findKeyResult(auth.org.id, id);
      if (!updated) throw notFound('Key result');
      return publicKeyResult(updated);
    },

    async deleteKeyResult(auth: AuthContext, id: string, version: number): Promise<void> {
      await db.transaction(async (tx) => {
        const { chain } = await lockOwned(auth, id, version, tx, 'delete');
        await keyResults.softDelete(id, tx);
        await chains.propagateFor(auth, chain, tx);
      });
      await changes.committed(auth.org.id);
    },
  };
}

export type KeyResultsService = ReturnType<typeof createKeyResultsService>;
