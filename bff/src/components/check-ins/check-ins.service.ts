import { createHash, randomUUID } from 'node:crypto';
import {
  keyResultProgress,
  suggestStatus,
  type CheckIn,
  type CheckInResult,
  type Page,
} from '@okr-embed/contract';
import { z } from 'zod';
import type { AuthContext } from '../../lib/auth.js';
import { isUniqueViolation, type Database, type Tx } from '../../lib/db.js';
import type { Changes } from '../../lib/changes.js';
import { conflict, forbidden, notFound } from '../../lib/errors.js';
import { decodeCursor, encodeCursor, toStoredDecimal } from '../../lib/schemas.js';
import type { ChainGoal } from '../goals/goals.repository.js';
import type { GoalChains } from '../goals/goals.propagation.js';
import { cardOf, publicKeyResult } from '../goals/goal-card.js';
import { ownsKeyResult } from '../goals/goal-rules.js';
import type { KeyResultsRepository } from '../key-results/key-results.repository.js';
import type { CheckInsRepository } from './check-ins.repository.js';
import type { CreateCheckInBody, ListCheckInsQuery } from './check-ins.schema.js';

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const historyCursor = z.tuple([z.number().int().min(1)]);

export interface CheckInsServiceDeps {
  db: Database;
  checkIns: CheckInsRepository;
  keyResults: KeyResultsRepository;
  chains: GoalChains;
  changes: Changes;
}

export interface StoredResponse {
  status: number;
  /** The JSON answer, serialised once: what is sent is what the idempotency record keeps. */
  body: string;
  replayed: boolean;
}

/** A check-in's transaction ends with an answer stored before, or one it just stored. */
type Stored = { replayed: StoredResponse } | { json: string; result: CheckInResult };

export function createCheckInsService(deps: CheckInsServiceDeps) {
  const { db, checkIns, keyResults, chains, changes } = deps;

  /** The stored answer for this key, `expired` if only a stale record holds it, or null. */
  async function replay(
    auth: AuthContext,
    key: string,
    requestHash: string,
    tx?: Tx,
  ): Promise<StoredResponse | 'expired' | null> {
    const record = await checkIns.findIdempotencyRecord(auth.org.id, auth.user.id, key, tx);
    if (!record) return null;
    if (record.expiresAt <= Date.now()) return 'expired';
    if (record.requestHash !== requestHash) {
      throw conflict(
        'idempotency_key_reused',
        'This Idempotency-Key was used with another request',
      );
    }
    return { status: record.statusCode, body: record.responseBody, replayed: true };
  }

  return {
    async listCheckIns(
      auth: AuthContext,
      keyResultId: string,
      query: ListCheckInsQuery,
    ): Promise<Page<CheckIn>> {
      const kr = await keyResults.findKeyResult(auth.org.id, keyResultId);
      if (!kr) throw notFound('Key result');
      const before = decodeCursor(query.cursor, historyCursor)?.[0];
      const rows = await checkIns.listForKeyResult(keyResultId, before, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(({ krVersion: _v, ...checkIn }) => checkIn),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.krVersion]) : null,
      };
    },

    /**
     * Stores a check-in and everything it changes — the key result, its goal, each ancestor, the
     * idempotency record, and the progress history of every goal that moved — in one
     * transaction of at most 12 statements (11 on SQLite) whatever the depth, sent on MySQL as
     * three queries of which two hold locks (see goals.propagation.ts and db-batch.ts); the
     * answer is built from what it read and computed, and serialised once.
     */
    async checkIn(
      auth: AuthContext,
      keyResultId: string,
      body: CreateCheckInBody,
      idempotencyKey: string | undefined,
    ): Promise<StoredResponse> {
      const orgId = auth.org.id;
      const requestHash = createHash('sha256')
        .update(
          JSON.stringify([keyResultId, body.value, body.status ?? null, body.comment ?? null]),
        )
        .digest('hex');
      try {
        const done = await db.transaction<Stored>(async (tx) => {
          // Round trip 1, before any lock: an answer stored for this Idempotency-Key, and the
          // chain the key result's goal sits in (a key result never moves to another goal).
          const [stored, found] = await db.inOrder([
            () =>
              idempotencyKey
                ? replay(auth, idempotencyKey, requestHash, tx)
                : Promise.resolve(null),
            () => chains.find(orgId, { keyResultId }, tx),
          ]);
          if (stored && stored !== 'expired') return { replayed: stored };
          // Round trip 2: the key result's lock, then the chain's (every writer's order), and
          // the roll-up's reads behind them. Read after the locks: what others committed.
          const [kr, chain, inputs] = await db.inOrder([
            () => keyResults.lockKeyResult(orgId, keyResultId, tx),
            () => chains.lockFound(orgId, found, tx),
            () => chains.read(orgId, found, tx),
          ] as const);
          if (!kr) throw notFound('Key result');
          // The chain was found from this key result's goal, so a live one is in it.
          const goal = chain.goals.get(kr.goalId);
          if (!goal) throw notFound('Key result');
          if (!ownsKeyResult(auth, kr, goal)) {
            throw forbidden('You may check in on key results you, or goals you or your teams, own');
          }
          const now = Date.now();
          const value = toStoredDecimal(body.value);
          const progress = keyResultProgress({
            kind: kr.kind,
            start: kr.start,
            target: kr.target,
            current: value,
          });
          const status = body.status ?? suggestStatus({ progress, timeframe: goal.timeframe, now });
          const version = kr.version + 1;
          const comment = body.comment ?? null;
          const checkInId = randomUUID();
          const updatedAt = new Date(now).toISOString();
          // The roll-up's reads saw the key result as it was; it computes from the new value.
          const rolled = chains.compute(
            chain,
            {
              ...inputs,
              keyResults: inputs.keyResults.map((row) =>
                row.id === keyResultId
                  ? { ...row, current: value, status, progress, version, updatedAt }
                  : row,
              ),
            },
            auth.org.settings.initiativesCount,
            now,
          );
          const checkIn: CheckIn = {
            id: checkInId,
            keyResultId,
            author: { id: auth.user.id, name: auth.user.name, avatarUrl: auth.user.avatarUrl },
            value,
            status,
            comment,
            createdAt: updatedAt,
          };
          const written = rolled.goals.get(goal.id) as ChainGoal;
          const krs = rolled.keyResults.filter((row) => row.goalId === goal.id);
          const updated = krs.find((row) => row.id === keyResultId);
          if (!updated) throw new Error('the key result vanished inside its own transaction');
          const result: CheckInResult = {
            checkIn,
            keyResult: publicKeyResult(updated),
            goal: cardOf({
              goal: written,
              keyResults: krs,
              parent: (goal.parentId && rolled.goals.get(goal.parentId)) || null,
              children: rolled.children.filter(
                (child) => child.parentId === goal.id && !child.archived,
              ),
              // The check-in just stored is the goal's newest: nothing to look up.
              lastCheckIn: checkIn,
              initiativesCount: auth.org.settings.initiativesCount,
            }),
            progress: rolled.moved.map((moved) => ({ ...moved, updatedAt })),
          };
          const json = JSON.stringify(result);
          // Round trip 3: every write, then COMMIT, in one batch: the locks of round trip 2
          // are held for it and the computation before it, nothing more.
          await db.inOrder(
            [
              () =>
                idempotencyKey && stored === 'expired'
                  ? checkIns.deleteExpiredIdempotencyRecord(
                      orgId,
                      auth.user.id,
                      idempotencyKey,
                      now,
                      tx,
                    )
                  : Promise.resolve(),
              () =>
                checkIns.insertCheckIn(
                  {
                    id: checkInId,
                    orgId,
                    keyResultId,
                    authorId: auth.user.id,
                    value,
                    status,
                    comment,
                    idempotencyKey: idempotencyKey ?? null,
                    krVersion: version,
                    createdAt: now,
                  },
                  tx,
                ),
              () =>
                keyResults.recordValue(
                  keyResultId,
                  { current: value, status, progress, version, now },
                  tx,
                ),
              () => chains.write(orgId, rolled, now, tx),
              () =>
                idempotencyKey
                  ? checkIns.insertIdempotencyRecord(
                      {
                        orgId,
                        userId: auth.user.id,
                        key: idempotencyKey,
                        requestHash,
                        statusCode: 201,
                        responseBody: json,
                        expiresAt: now + IDEMPOTENCY_TTL_MS,
                      },
                      tx,
                    )
                  : Promise.resolve(),
            ],
            { commit: tx },
          );
          return { json, result };
        });
        if ('replayed' in done) return done.replayed;
        const { result } = done;
        await changes.committed(orgId, {
          type: 'check-in.created',
          change: {
            goals: [result.goal],
            progress: result.progress,
            keyResults: [result.keyResult],
            checkIn: result.checkIn,
          },
        });
        return { status: 201, body: done.json, replayed: false };
      } catch (error) {
        // The same key raced in from a parallel request: answer as that one did.
        if (idempotencyKey && isUniqueViolation(error)) {
          const stored = await replay(auth, idempotencyKey, requestHash);
          if (stored && stored !== 'expired') return stored;
        }
        throw error;
      }
    },
  };
}

export type CheckInsService = ReturnType<typeof createCheckInsService>;
