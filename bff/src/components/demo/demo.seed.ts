import { randomUUID } from 'node:crypto';
import {
  dayOf,
  goalSummary,
  keyResultProgress,
  suggestStatus,
  type KeyResultKind,
  type ProgressStatus,
} from '@okr-embed/contract';
import type { Database } from '../../lib/db.js';
import { AppError } from '../../lib/errors.js';
import { createOrgsRepository, type OrgRecord } from '../orgs/orgs.repository.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import { demoGoals, demoTeams, demoUsers, generatedGoals } from './demo.data.js';
import { createDemoRepository } from './demo.repository.js';

const DAY = 86_400_000;

export interface SeedOptions {
  slug: string;
  /** The organization's display name; `Acme Demo` unless given. */
  name?: string;
  /** Extra generated goals beyond the hand-written demo tree (benchmarks). */
  goals?: number;
  origins?: string[];
  onProgress?: (done: number, total: number) => void;
}

function quarterOf(date: Date): { start: Date; end: Date; name: string } {
  const quarter = Math.floor(date.getUTCMonth() / 3);
  const start = new Date(Date.UTC(date.getUTCFullYear(), quarter * 3, 1));
  const end = new Date(Date.UTC(date.getUTCFullYear(), quarter * 3 + 3, 0));
  return { start, end, name: `Q${quarter + 1} ${date.getUTCFullYear()}` };
}

/** An existing org keeps its key when one works; otherwise it gets one, shown this once. */
async function signingKeyFor(orgsService: OrgsService, org: OrgRecord) {
  try {
    const { key } = await orgsService.signingKey(org);
    return { kid: key.kid };
  } catch (error) {
    if (!(error instanceof AppError) || !['no_hs256_key', 'key_unusable'].includes(error.code)) {
      throw error;
    }
    const created = await orgsService.addKey(org.slug, 'HS256');
    return { kid: created.kid, secret: created.secret };
  }
}

/**
 * Creates a realistic demo org (users, teams, two timeframes, goals four levels deep, history),
 * or fills an existing one: its people, teams and quarters of the same keys are reused.
 */
export async function seedDemo(db: Database, orgsService: OrgsService, options: SeedOptions) {
  const now = Date.now();
  const repo = createDemoRepository(db);
  let org = await createOrgsRepository(db).findOrgBySlug(options.slug);
  if (org && options.origins?.length) {
    throw new AppError(
      'org_exists',
      `Organization "${org.slug}" exists: change its origins with okr org update ${org.slug} --add-origin URL`,
      409,
    );
  }
  org ??= await orgsService.createOrg({
    slug: options.slug,
    name: options.name ?? 'Acme Demo',
    origins: options.origins,
  });
  const key = await signingKeyFor(orgsService, org);
  const existing = await repo.existingOf(org.id);

  const current = quarterOf(new Date(now));
  const previous = quarterOf(new Date(current.start.getTime() - DAY));
  const timeframeId = (t: { name: string; start: Date; end: Date }) =>
    existing.timeframeIds.get(`${t.name} ${dayOf(t.start)} ${dayOf(t.end)}`);
  const timeframes = {
    previous: { id: timeframeId(previous) ?? randomUUID(), ...previous },
    current: { id: timeframeId(current) ?? randomUUID(), ...current },
  };
  const userIds = Object.fromEntries(
    Object.entries(demoUsers).map(([k, u]) => [k, existing.userIds.get(u.sub) ?? randomUUID()]),
  ) as Record<string, string>;
  const teamIds = Object.fromEntries(
    demoTeams.map((t) => [t.key, existing.teamIds.get(t.key) ?? randomUUID()]),
  ) as Record<string, string>;
  const orgId = org.id;
  const goals = [...demoGoals, ...generatedGoals(options.goals ?? 0)];
  const total = goals.length;

  await db.transaction(async (tx) => {
    await repo.bulkInsert(
      'timeframes',
      Object.values(timeframes)
        .filter((t) => !timeframeId(t))
        .map((t) => ({
          id: t.id,
          org_id: orgId,
          name: t.name,
          start_date: dayOf(t.start),
          end_date: dayOf(t.end),
          created_at: now,
        })),
      tx,
    );
    await repo.bulkInsert(
      'teams',
      demoTeams
        .filter((t) => !existing.teamIds.has(t.key))
        .map((t) => ({
          id: teamIds[t.key] ?? null,
          org_id: orgId,
          team_key: t.key,
          name: t.name,
          parent_id: t.parent ? (teamIds[t.parent] ?? null) : null,
          created_at: now,
        })),
      tx,
    );
    await repo.bulkInsert(
      'users',
      Object.entries(demoUsers)
        .filter(([, u]) => !existing.userIds.has(u.sub))
        .map(([k, u]) => ({
          id: userIds[k] ?? null,
          org_id: orgId,
          external_id: u.sub,
          name: u.name,
          email: u.email,
          avatar_url: null,
          created_at: now,
          updated_at: now,
        })),
      tx,
    );
    await repo.bulkInsert(
      'memberships',
      Object.entries(demoUsers).flatMap(([k, u]) =>
        u.teams
          .filter((t) => !existing.memberships.has(`${userIds[k]} ${teamIds[t]}`))
          .map((t) => ({
            user_id: userIds[k] ?? null,
            team_id: teamIds[t] ?? null,
            org_id: orgId,
          })),
      ),
      tx,
    );

    const goalIds = new Map(goals.map((g) => [g.key, randomUUID()]));
    const goalRows: Array<Record<string, string | number | boolean | null>> = [];
    const krRows: Array<Record<string, string | number | boolean | null>> = [];
    const checkInRows: Array<Record<string, string | number | boolean | null>> = [];
    const computed = new Map<
      string,
      {
        progress: number;
        status: ProgressStatus;
        krs: Array<{
          kind: KeyResultKind;
          weight: number;
          progress: number;
          status: ProgressStatus;
        }>;
      }
    >();

    goals.forEach((goal, index) => {
      const timeframe = timeframes[goal.timeframe];
      const span = Math.min(now, timeframe.end.getTime()) - timeframe.start.getTime();
      const krs = goal.keyResults.map((kr, position) => {
        const current = kr.history[kr.history.length - 1] ?? kr.start;
        const progress = keyResultProgress({
          kind: kr.kind,
          start: kr.start,
          target: kr.target,
          current,
        });
        const checkInTimes = kr.history.map(
          (_, i) => timeframe.start.getTime() + (span * (i + 1)) / (kr.history.length + 1),
        );
        const statusAt = (value: number, at: number) =>
          suggestStatus({
            progress: keyResultProgress({ ...kr, current: value }),
            timeframe: { startDate: dayOf(timeframe.start), endDate: dayOf(timeframe.end) },
            now: at,
          });
        const status: ProgressStatus =
          kr.history.length === 0
            ? 'not_started'
            : statusAt(current, checkInTimes[checkInTimes.length - 1] ?? now);
        const id = randomUUID();
        kr.history.forEach((value, i) => {
          const at = Math.round(checkInTimes[i] ?? now);
          checkInRows.push({
            id: randomUUID(),
            org_id: orgId,
            key_result_id: id,
            author_id: userIds[kr.owner] ?? null,
            value,
            status: statusAt(value, at),
            comment: i === kr.history.length - 1 ? 'Latest numbers from the weekly review.' : null,
            idempotency_key: null,
            kr_version: i + 2,
            created_at: at,
          });
        });
        krRows.push({
          id,
          org_id: orgId,
          goal_id: goalIds.get(goal.key) ?? null,
          title: kr.title,
          kind: kr.kind,
          start_value: kr.start,
          target_value: kr.target,
          current_value: current,
          unit: kr.unit ?? null,
          weight: kr.weight ?? 1,
          owner_id: userIds[kr.owner] ?? null,
          status,
          progress,
          version: kr.history.length + 1,
          position,
          deleted_at: null,
          created_at: now + index,
          updated_at: now,
        });
        return { kind: kr.kind, weight: kr.weight ?? 1, progress, status };
      });
      computed.set(goal.key, { progress: 0, status: 'not_started', krs });
    });

    const childrenOf = new Map<string, string[]>();
    for (const goal of goals) {
      if (goal.parent)
        childrenOf.set(goal.parent, [...(childrenOf.get(goal.parent) ?? []), goal.key]);
    }
    // Children come after their parents in the list, so a reverse walk propagates progress bottom-up.
    for (const goal of [...goals].reverse()) {
      const own = computed.get(goal.key);
      if (!own) continue;
      const source = goal.source ?? 'key_results';
      const children = (childrenOf.get(goal.key) ?? []).map(
        (k) => computed.get(k) ?? { progress: 0, status: 'not_started' as const },
      );
      Object.assign(
        own,
        goalSummary({ source, keyResults: own.krs, children, initiativesCount: false }),
      );
    }
    goals.forEach((goal, index) => {
      const own = computed.get(goal.key);
      goalRows.push({
        id: goalIds.get(goal.key) ?? null,
        org_id: orgId,
        title: goal.title,
        description: goal.description ?? null,
        level: goal.level,
        owner_id: goal.owner ? (userIds[goal.owner] ?? null) : null,
        team_id: goal.team ? (teamIds[goal.team] ?? null) : null,
        timeframe_id: timeframes[goal.timeframe].id,
        parent_id: goal.parent ? (goalIds.get(goal.parent) ?? null) : null,
        progress_source: goal.source ?? 'key_results',
        status: own?.status ?? 'not_started',
        progress: own?.progress ?? 0,
        version: 1,
        archived: false,
        deleted_at: null,
        created_at: now + index,
        updated_at: now,
      });
    });
    const chunk = 1000;
    for (let offset = 0; offset < goalRows.length; offset += chunk) {
      await repo.bulkInsert('goals', goalRows.slice(offset, offset + chunk), tx);
      options.onProgress?.(Math.min(offset + chunk, total), total);
    }
    await repo.bulkInsert('key_results', krRows, tx);
    await repo.bulkInsert('check_ins', checkInRows, tx);
    // The seed sets each goal's progress now: that is the first point of its stored history.
    await repo.bulkInsert(
      'goal_progress_history',
      goalRows
        .filter((row) => row.progress !== 0 || row.status !== 'not_started')
        .map((row) => ({
          id: randomUUID(),
          org_id: orgId,
          goal_id: row.id ?? null,
          progress: row.progress ?? 0,
          status: row.status ?? 'not_started',
          recorded_at: now,
        })),
      tx,
    );
  });
  return {
    org: org.slug,
    issuer: org.issuer,
    kid: key.kid,
    /** Only when seeding made the key: the one time it is shown. */
    ...(key.secret === undefined ? {} : { secret: key.secret }),
    goals: total,
    users: Object.keys(demoUsers).length,
    teams: demoTeams.length,
  };
}
