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
import { isUniqueViolation, type Database } from '../../lib/db.js';
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

export function createCheckInsService(deps: CheckInsServiceDeps) {
  const { db, checkIns, keyResults, chains, changes } = deps;

  /** The stored answer for this key, `expired` if only a stale record holds it, or null. */
  async function replay(
    auth: AuthContext,
    key: string,
    requestHash: string,
  ): Promise<StoredResponse | 'expired' | null> {
    const record = await checkIns.findIdempotencyRecord(auth.org.id, auth.user.id, key);
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
     * Stores a check-in and everything it changes — the key result, its goal, each ancestor, and
     * the idempotency record, and the progress history of every goal that moved — in one
     * transaction of at most 12 statements (11 on SQLite) and 3 round trips whatever the depth
     * (see goals.propagation.ts); the answer is built from what it read and wrote.
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
      let staleRecord = false;
      if (idempotencyKey) {
        const stored = await replay(auth, idempotencyKey, requestHash);
        if (stored === 'expired') staleRecord = true;
        else if (stored) return stored;
      }
      try {
        const { json: answer, result } = await db.transaction(async (tx) => {
          // Round trip 1: the key result locked and read (its lock comes before the chain's, for
          // every writer), then its chain, found without locks. Found after the key result's
          // lock is granted, so check-ins queued on it do not start from a chain read long ago.
          const [kr, found] = await db.inOrder([
            () => keyResults.lockKeyResult(orgId, keyResultId, tx),
            () => chains.find(orgId, { keyResultId }, tx),
          ]);
          if (!kr) throw notFound('Key result');
          const goal = found.goals.get(kr.goalId);
          if (!goal) throw notFound('Key result');
          // Decided on what `find` read: the lock below runs the whole transaction again if the
          // goal changed (owner, team, timeframe all move its version) before it was locked.
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
          // Round trip 2: the key result's writes, the chain's lock, and the roll-up's reads
          // behind that lock, so the chain is held for this round trip and the next only.
          const [, , , chain, inputs] = await db.inOrder([
            () =>
              idempotencyKey && staleRecord
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
            () => chains.lockFound(orgId, found, tx),
            () => chains.read(orgId, found, tx),
          ] as const);
          // `lockFound` answered before the reads ran: they saw the chain as locked.
          const rolled = chains.compute(chain, inputs, auth.org.settings.initiativesCount, now);
          const checkIn: CheckIn = {
            id: checkInId,
            keyResultId,
            author: { id: auth.user.id, name: auth.user.name, avatarUrl: auth.user.avatarUrl },
            value,
            status,
            comment,
            createdAt: new Date(now).toISOString(),
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
            progress: rolled.moved.map((moved) => ({
              ...moved,
              updatedAt: new Date(now).toISOString(),
            })),
          };
          const json = JSON.stringify(result);
          // Round trip 3: the chain's progress and the idempotency record; then COMMIT.
          await db.inOrder([
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
          ]);
          return { json, result };
        });
        await changes.committed(orgId, {
          type: 'check-in.created',
          change: {
            goals: [result.goal],
            progress: result.progress,
            keyResults: [result.keyResult],
            checkIn: result.checkIn,
          },
        });
        return { status: 201, body: answer, replayed: false };
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
