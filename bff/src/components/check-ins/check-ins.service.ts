import { createHash } from 'node:crypto';
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
import type { ViewCache } from '../../lib/view-cache.js';
import { conflict, forbidden, notFound } from '../../lib/errors.js';
import { decodeCursor, encodeCursor, toStoredDecimal } from '../../lib/schemas.js';
import type { GoalsRepository } from '../goals/goals.repository.js';
import type { PropagateProgress } from '../goals/goals.propagation.js';
import { publicKeyResult, type GoalCard } from '../goals/goal-card.js';
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
  goals: GoalsRepository;
  goalCard: GoalCard;
  propagateProgress: PropagateProgress;
  views: ViewCache;
}

export interface StoredResponse {
  status: number;
  body: unknown;
  replayed: boolean;
}

export function createCheckInsService(deps: CheckInsServiceDeps) {
  const { db, checkIns, keyResults, goals, goalCard, propagateProgress, views } = deps;

  async function replay(
    auth: AuthContext,
    key: string,
    requestHash: string,
  ): Promise<StoredResponse | null> {
    const record = await checkIns.findIdempotencyRecord(auth.org.id, auth.user.id, key);
    if (!record || record.expiresAt <= Date.now()) return null;
    if (record.requestHash !== requestHash) {
      throw conflict(
        'idempotency_key_reused',
        'This Idempotency-Key was used with another request',
      );
    }
    return { status: record.statusCode, body: JSON.parse(record.responseBody), replayed: true };
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
     * Stores a check-in and everything it changes — the key result, its goal, each ancestor that
     * depends on it, and the idempotency record — in one transaction.
     */
    async checkIn(
      auth: AuthContext,
      keyResultId: string,
      body: CreateCheckInBody,
      idempotencyKey: string | undefined,
    ): Promise<StoredResponse> {
      const requestHash = createHash('sha256')
        .update(
          JSON.stringify([keyResultId, body.value, body.status ?? null, body.comment ?? null]),
        )
        .digest('hex');
      if (idempotencyKey) {
        const stored = await replay(auth, idempotencyKey, requestHash);
        if (stored) return stored;
      }
      try {
        const result = await db.transaction(async (tx): Promise<CheckInResult> => {
          const kr = await keyResults.lockKeyResult(auth.org.id, keyResultId, tx);
          if (!kr) throw notFound('Key result');
          if (!(await ownsKeyResult(auth, kr, goals, tx))) {
            throw forbidden('You may check in on key results you, or goals you or your teams, own');
          }
          const goal = await goals.findGoal(auth.org.id, kr.goalId, tx);
          if (!goal) throw notFound('Key result');
          const value = toStoredDecimal(body.value);
          const progress = keyResultProgress({
            kind: kr.kind,
            start: kr.start,
            target: kr.target,
            current: value,
          });
          const status =
            body.status ??
            suggestStatus({
              progress,
              timeframe: goal.timeframe,
              now: Date.now(),
            });
          const version = kr.version + 1;
          const checkInId = await checkIns.insertCheckIn(
            {
              orgId: auth.org.id,
              keyResultId,
              authorId: auth.user.id,
              value,
              status,
              comment: body.comment ?? null,
              idempotencyKey: idempotencyKey ?? null,
              krVersion: version,
            },
            tx,
          );
          await keyResults.recordValue(
            keyResultId,
            { current: value, status, progress, version },
            tx,
          );
          await propagateProgress(auth.org.id, kr.goalId, auth.org.settings.initiativesCount, tx);
          const [checkIn, updated, card] = await Promise.all([
            checkIns.findCheckIn(checkInId, tx),
            keyResults.findKeyResult(auth.org.id, keyResultId, tx),
            goalCard(auth, kr.goalId, tx),
          ]);
          if (!checkIn || !updated) throw new Error('check-in vanished inside its own transaction');
          const answer = { checkIn, keyResult: publicKeyResult(updated), goal: card };
          if (idempotencyKey) {
            await checkIns.insertIdempotencyRecord(
              {
                orgId: auth.org.id,
                userId: auth.user.id,
                key: idempotencyKey,
                requestHash,
                statusCode: 201,
                responseBody: JSON.stringify(answer),
                expiresAt: Date.now() + IDEMPOTENCY_TTL_MS,
              },
              tx,
            );
          }
          return answer;
        });
        views.invalidate(auth.org.id);
        return { status: 201, body: result, replayed: false };
      } catch (error) {
        // The same key raced in from a parallel request: answer as that one did.
        if (idempotencyKey && isUniqueViolation(error)) {
          const stored = await replay(auth, idempotencyKey, requestHash);
          if (stored) return stored;
        }
        throw error;
      }
    },
  };
}

export type CheckInsService = ReturnType<typeof createCheckInsService>;
