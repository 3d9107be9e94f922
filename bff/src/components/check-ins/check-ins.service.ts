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
import { AppError, conflict, forbidden, notFound } from '../../lib/errors.js';
import { createGroupQueue, type Settled } from '../../lib/group-queue.js';
import { decodeCursor, encodeCursor, toStoredDecimal } from '../../lib/schemas.js';
import type { ChainGoal } from '../goals/goals.repository.js';
import type {
  Chain,
  GoalChains,
  Propagation,
  PropagationInputs,
} from '../goals/goals.propagation.js';
import { cardOf, publicKeyResult } from '../goals/goal-card.js';
import { ownsKeyResult } from '../goals/goal-rules.js';
import type {
  KeyResultRecord,
  KeyResultsRepository,
} from '../key-results/key-results.repository.js';
import type { CheckInsRepository, NewCheckIn } from './check-ins.repository.js';
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

/** One POST's check-in, as it waits for its group. */
interface CheckInRequest {
  auth: AuthContext;
  keyResultId: string;
  body: CreateCheckInBody;
  idempotencyKey: string | undefined;
  requestHash: string;
}

/** What a stored Idempotency-Key says: its answer, `expired`, nothing, or a refusal. */
type Replay = StoredResponse | 'expired' | null | AppError;

/** What one request of a group's transaction came to. */
type Outcome =
  | { replayed: StoredResponse }
  | { created: { json: string; result: CheckInResult } }
  | { refused: AppError };

type NewIdempotencyRecord = Parameters<CheckInsRepository['insertIdempotencyRecords']>[0][number];

/**
 * A group is one transaction: its statements (one or two more per check-in), its locks (the
 * union of its key results' chains) and its answers bound it.
 */
const GROUP_LIMIT = 25;

/** A refusal of one request (a reused key) becomes its outcome; anything else fails the group. */
const refusal = (error: unknown): AppError => {
  if (error instanceof AppError) return error;
  throw error;
};

/** The answer to a check-in, from the roll-up in hand: nothing is read back. */
function answerOf(
  rolled: Propagation,
  goal: ChainGoal,
  checkIn: CheckIn,
  initiativesCount: boolean,
): CheckInResult {
  const written = rolled.goals.get(goal.id) as ChainGoal;
  const krs = rolled.keyResults.filter((row) => row.goalId === goal.id);
  const updated = krs.find((row) => row.id === checkIn.keyResultId);
  if (!updated) throw new Error('the key result vanished inside its own transaction');
  return {
    checkIn,
    keyResult: publicKeyResult(updated),
    goal: cardOf({
      goal: written,
      keyResults: krs,
      parent: (goal.parentId && rolled.goals.get(goal.parentId)) || null,
      children: rolled.children.filter((child) => child.parentId === goal.id && !child.archived),
      // The check-in just stored is the goal's newest: nothing to look up.
      lastCheckIn: checkIn,
      initiativesCount,
    }),
    progress: rolled.moved.map((moved) => ({ ...moved, updatedAt: checkIn.createdAt })),
  };
}

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

  /**
   * One transaction for a group of check-ins of one org (usually a group of one): 12
   * statements for one, whatever the depth, sent on MySQL as two queries once this process has
   * found the key results' chains before, three the first time (see goals.propagation.ts and
   * db-batch.ts). The group's key results are locked in one statement, ascending by id, then
   * the union of their chains in another: the order every writer keeps. The roll-up is computed per check-in, in arrival order, each from the one
   * before (two check-ins under one objective both move it), and written once.
   */
  function store(requests: CheckInRequest[]): Promise<Outcome[]> {
    const [{ auth: firstAuth }] = requests as [CheckInRequest];
    const orgId = firstAuth.org.id;
    const initiativesCount = firstAuth.org.settings.initiativesCount;
    const keyResultIds = [...new Set(requests.map((request) => request.keyResultId))].sort();
    return db.transaction(async (tx) => {
      const outcomes: Outcome[] = [];
      const replays = requests.map(
        (request) => () =>
          request.idempotencyKey
            ? replay(request.auth, request.idempotencyKey, request.requestHash, tx).catch(refusal)
            : Promise.resolve<Replay>(null),
      );
      /** Which requests still need their check-in stored, once their replays are known. */
      const liveOf = (stored: Replay[]) =>
        stored.flatMap((answer, i) => {
          if (answer instanceof AppError) outcomes[i] = { refused: answer };
          else if (answer && answer !== 'expired') outcomes[i] = { replayed: answer };
          else return [i];
          return [];
        });
      let locked: KeyResultRecord[];
      let chain: Chain;
      let inputs: PropagationInputs;
      let stored: Replay[];
      let live: number[];
      const known = chains.remembered(keyResultIds);
      if (known) {
        // Round trip 1 of 2, the chains' goals known from an earlier check-in: the key results'
        // locks, then the chains' (every writer's order), the roll-up's reads and the stored
        // answers behind them; `confirm` then checks the chains are still those goals.
        const [krs, read, rollUpInputs, ...answers] = await db.inOrder<
          [KeyResultRecord[], ChainGoal[], PropagationInputs, ...Replay[]]
        >([
          () => keyResults.lockKeyResults(orgId, keyResultIds, tx),
          () => chains.lockRemembered(orgId, known, tx),
          () => chains.read(orgId, known, tx),
          ...replays,
        ]);
        chain = chains.confirm(keyResultIds, krs, read);
        [locked, inputs, stored] = [krs, rollUpInputs, answers];
        live = liveOf(stored);
        if (live.length === 0) return outcomes;
      } else {
        // Round trip 1 of 3, before any lock: the chains the key results' goals sit in (a key
        // result never moves to another goal), and an answer stored for each Idempotency-Key.
        const [found, ...answers] = await db.inOrder<[Chain, ...Replay[]]>([
          () => chains.find(orgId, { keyResultIds }, tx),
          ...replays,
        ]);
        stored = answers;
        live = liveOf(stored);
        if (live.length === 0) return outcomes;
        // Round trip 2: the key results' locks, then the chains' (every writer's order), and
        // the roll-up's reads behind them. Read after the locks: what others committed.
        [locked, chain, inputs] = await db.inOrder([
          () => keyResults.lockKeyResults(orgId, keyResultIds, tx),
          () => chains.lockFound(orgId, found, tx),
          () => chains.read(orgId, [...found.goals.keys()], tx),
        ] as const);
        chains.remember(locked, chain);
      }
      /** Each key result as the check-ins before in this group left it. */
      const latest = new Map(locked.map((kr) => [kr.id, kr]));
      const now = Date.now();
      const createdAt = new Date(now).toISOString();
      const rows: NewCheckIn[] = [];
      const records: NewIdempotencyRecord[] = [];
      const expired: Array<{ userId: string; key: string }> = [];
      const moved = new Map<string, Propagation['moved'][number]>();
      let rolled: Propagation | undefined;
      for (const i of live) {
        const { auth, keyResultId, body, idempotencyKey, requestHash } = requests[
          i
        ] as CheckInRequest;
        const kr = latest.get(keyResultId);
        // The chains were found from these key results' goals, so a live one is in them.
        const goal = kr && chain.goals.get(kr.goalId);
        if (!kr || !goal) {
          outcomes[i] = { refused: notFound('Key result') };
          continue;
        }
        if (!ownsKeyResult(auth, kr, goal)) {
          outcomes[i] = {
            refused: forbidden(
              'You may check in on key results you, or goals you or your teams, own',
            ),
          };
          continue;
        }
        const value = toStoredDecimal(body.value);
        const progress = keyResultProgress({
          kind: kr.kind,
          start: kr.start,
          target: kr.target,
          current: value,
        });
        const status = body.status ?? suggestStatus({ progress, timeframe: goal.timeframe, now });
        const updated = { ...kr, current: value, status, progress, version: kr.version + 1 };
        latest.set(keyResultId, updated);
        // The roll-up's reads saw the key result as it was (or as the check-in before this
        // one left it); it computes from the new value.
        const before = rolled ?? { goals: chain.goals, ...inputs };
        const { current, version } = updated;
        rolled = chains.compute(
          { goals: before.goals },
          {
            keyResults: before.keyResults.map((row) =>
              row.id === keyResultId
                ? { ...row, current, status, progress, version, updatedAt: createdAt }
                : row,
            ),
            children: before.children,
          },
          initiativesCount,
          now,
        );
        for (const goalMoved of rolled.moved) moved.set(goalMoved.id, goalMoved);
        const checkIn: CheckIn = {
          id: randomUUID(),
          keyResultId,
          author: { id: auth.user.id, name: auth.user.name, avatarUrl: auth.user.avatarUrl },
          value,
          status,
          comment: body.comment ?? null,
          createdAt,
        };
        const result = answerOf(rolled, goal, checkIn, initiativesCount);
        const json = JSON.stringify(result);
        outcomes[i] = { created: { json, result } };
        rows.push({
          id: checkIn.id,
          orgId,
          keyResultId,
          authorId: auth.user.id,
          value,
          status,
          comment: checkIn.comment,
          idempotencyKey: idempotencyKey ?? null,
          krVersion: version,
          createdAt: now,
        });
        if (!idempotencyKey) continue;
        if (stored[i] === 'expired') expired.push({ userId: auth.user.id, key: idempotencyKey });
        records.push({
          orgId,
          userId: auth.user.id,
          key: idempotencyKey,
          requestHash,
          statusCode: 201,
          responseBody: json,
          expiresAt: now + IDEMPOTENCY_TTL_MS,
        });
      }
      if (!rolled) return outcomes;
      // Each goal's last value is what is written; its history gets one row for the group.
      const written: Propagation = { ...rolled, moved: [...moved.values()] };
      const checkedIn = locked.flatMap((kr) => {
        const last = latest.get(kr.id) as KeyResultRecord;
        return last.version === kr.version ? [] : [last];
      });
      // The last round trip: every write, then COMMIT, in one batch: the locks taken in the
      // one before are held for it and the computation before it, nothing more.
      await db.inOrder(
        [
          ...expired.map(
            ({ userId, key }) =>
              () =>
                checkIns.deleteExpiredIdempotencyRecord(orgId, userId, key, now, tx),
          ),
          () => checkIns.insertCheckIns(rows, tx),
          ...checkedIn.map(
            (kr) => () =>
              keyResults.recordValue(
                kr.id,
                {
                  current: kr.current,
                  status: kr.status,
                  progress: kr.progress,
                  version: kr.version,
                  now,
                },
                tx,
              ),
          ),
          () => chains.write(orgId, written, now, tx),
          () =>
            records.length > 0 ? checkIns.insertIdempotencyRecords(records, tx) : Promise.resolve(),
        ],
        { commit: tx },
      );
      return outcomes;
    });
  }

  /** A group's answers: each stored check-in's consequences (views, live streams) first. */
  async function settle(requests: CheckInRequest[]): Promise<Array<Settled<StoredResponse>>> {
    let outcomes: Outcome[];
    try {
      outcomes = await store(requests);
    } catch (error) {
      if (requests.length === 1) return [await recover(requests[0] as CheckInRequest, error)];
      // The group failed whole (a key raced in from elsewhere, a fault): each goes again
      // alone, so that one request's trouble stays its own.
      const alone: Array<Settled<StoredResponse>> = [];
      for (const request of requests) alone.push(...(await settle([request])));
      return alone;
    }
    const created = outcomes.flatMap((outcome) =>
      'created' in outcome ? [outcome.created.result] : [],
    );
    let consequences: { ok: true } | { ok: false; error: unknown } = { ok: true };
    if (created.length > 0) {
      try {
        await changes.committed(
          (requests[0] as CheckInRequest).auth.org.id,
          ...created.map((result) => ({
            type: 'check-in.created' as const,
            change: {
              goals: [result.goal],
              progress: result.progress,
              keyResults: [result.keyResult],
              checkIn: result.checkIn,
            },
          })),
        );
      } catch (error) {
        consequences = { ok: false, error };
      }
    }
    return outcomes.map((outcome): Settled<StoredResponse> => {
      if ('refused' in outcome) return { ok: false, error: outcome.refused };
      if ('replayed' in outcome) return { ok: true, value: outcome.replayed };
      if (!consequences.ok) return consequences;
      return { ok: true, value: { status: 201, body: outcome.created.json, replayed: false } };
    });
  }

  /** A check-in that failed alone; the same key raced in from a parallel request: its answer. */
  async function recover(
    request: CheckInRequest,
    error: unknown,
  ): Promise<Settled<StoredResponse>> {
    const { auth, idempotencyKey, requestHash } = request;
    if (idempotencyKey && isUniqueViolation(error)) {
      try {
        const stored = await replay(auth, idempotencyKey, requestHash);
        if (stored && stored !== 'expired') return { ok: true, value: stored };
      } catch (replayError) {
        return { ok: false, error: replayError };
      }
    }
    return { ok: false, error };
  }

  const groups = createGroupQueue<CheckInRequest, StoredResponse>({
    run: settle,
    limit: GROUP_LIMIT,
    // The same user's same key twice in one group would both pass its replay check.
    apart: (request) =>
      request.idempotencyKey === undefined
        ? undefined
        : `${request.auth.user.id} ${request.idempotencyKey}`,
  });

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
     * idempotency record, and the progress history of every goal that moved. Check-ins of one
     * org that arrive while one of its transactions runs wait, and are stored together in the
     * next (group commit, `group-queue.ts`), each answered as if it had gone alone in arrival
     * order.
     */
    checkIn(
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
      // One queue per org: check-ins under one objective wait for each other's locks anyway,
      // so those that arrive together share a transaction instead of queueing on the locks.
      return groups.add(auth.org.id, {
        auth,
        keyResultId,
        body,
        idempotencyKey,
        requestHash,
      });
    },
  };
}

export type CheckInsService = ReturnType<typeof createCheckInsService>;
