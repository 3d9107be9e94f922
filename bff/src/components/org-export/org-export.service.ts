import { randomUUID } from 'node:crypto';
import type { Row } from '../../lib/bulk-insert.js';
import { AppError } from '../../lib/errors.js';
import type { OrgRecord } from '../orgs/orgs.repository.js';
import { keyResultProgress } from '@okr-embed/contract';
import type { Tx } from '../../lib/db.js';
import { goalLevel, keyResultKind, progressSource } from '../../lib/schemas.js';
import { csvColumns, parseCsv, toCsv, type CsvRecord } from './org-export.csv.js';
import type { OrgExportRepository, OrgRows } from './org-export.repository.js';
import { exportDocument, type ExportDocument } from './org-export.schema.js';

export type OnProgress = (done: number, total: number) => void;

const iso = (millis: unknown) => new Date(Number(millis)).toISOString();
const millis = (timestamp: string) => Date.parse(timestamp);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Creation order, then content, then id: an import gets new ids, and must not reorder. */
const creationOrder = <T extends { created_at: unknown; title: string; id: string }>(a: T, b: T) =>
  Number(a.created_at) - Number(b.created_at) || byText(a.title, b.title) || byText(a.id, b.id);

/** The org's OKR data as one document; the same data always gives the same bytes. */
export function toDocument(rows: OrgRows): ExportDocument {
  const timeframes = [...rows.timeframes].sort(
    (a, b) =>
      byText(a.start_date, b.start_date) ||
      byText(a.end_date, b.end_date) ||
      byText(a.name, b.name) ||
      Number(a.created_at) - Number(b.created_at),
  );
  const timeframeRef = new Map(timeframes.map((t, i) => [t.id, `timeframe-${i + 1}`]));
  const teamKey = new Map(rows.teams.map((t) => [t.id, t.team_key]));
  const userSub = new Map(rows.users.map((u) => [u.id, u.external_id]));
  const goals = [...rows.goals].sort(creationOrder);
  const goalRef = new Map(goals.map((g, i) => [g.id, `goal-${i + 1}`]));
  const sub = (id: string | null) => (id === null ? null : (userSub.get(id) ?? null));

  return {
    format: 'okr-embed-export',
    version: 1,
    timeframes: timeframes.map((t) => ({
      ref: timeframeRef.get(t.id) ?? '',
      name: t.name,
      startDate: t.start_date,
      endDate: t.end_date,
      createdAt: iso(t.created_at),
    })),
    teams: [...rows.teams]
      .sort((a, b) => byText(a.team_key, b.team_key))
      .map((t) => ({
        key: t.team_key,
        name: t.name,
        parent: t.parent_id === null ? null : (teamKey.get(t.parent_id) ?? null),
        createdAt: iso(t.created_at),
      })),
    users: [...rows.users]
      .sort((a, b) => byText(a.external_id, b.external_id))
      .map((u) => ({
        externalId: u.external_id,
        name: u.name,
        email: u.email,
        avatarUrl: u.avatar_url,
        teams: rows.memberships
          .filter((m) => m.user_id === u.id)
          .map((m) => teamKey.get(m.team_id) ?? '')
          .sort(byText),
        createdAt: iso(u.created_at),
        updatedAt: iso(u.updated_at),
      })),
    goals: goals.map((g) => ({
      ref: goalRef.get(g.id) ?? '',
      title: g.title,
      description: g.description,
      level: g.level as ExportDocument['goals'][number]['level'],
      owner: sub(g.owner_id),
      team: g.team_id === null ? null : (teamKey.get(g.team_id) ?? null),
      timeframe: timeframeRef.get(g.timeframe_id) ?? '',
      // A parent that was deleted is no longer part of what the org has.
      parent: g.parent_id === null ? null : (goalRef.get(g.parent_id) ?? null),
      progressSource: g.progress_source as ExportDocument['goals'][number]['progressSource'],
      status: g.status as ExportDocument['goals'][number]['status'],
      progress: Number(g.progress),
      version: Number(g.version),
      archived: Boolean(Number(g.archived)),
      createdAt: iso(g.created_at),
      updatedAt: iso(g.updated_at),
      keyResults: rows.keyResults
        .filter((k) => k.goal_id === g.id)
        .sort(creationOrder)
        .map((k) => ({
          title: k.title,
          kind: k.kind as ExportDocument['goals'][number]['keyResults'][number]['kind'],
          start: Number(k.start_value),
          target: Number(k.target_value),
          current: Number(k.current_value),
          unit: k.unit,
          weight: Number(k.weight),
          owner: sub(k.owner_id),
          status: k.status as ExportDocument['goals'][number]['status'],
          progress: Number(k.progress),
          version: Number(k.version),
          createdAt: iso(k.created_at),
          updatedAt: iso(k.updated_at),
          checkIns: rows.checkIns
            .filter((c) => c.key_result_id === k.id)
            .sort((a, b) => Number(a.kr_version) - Number(b.kr_version))
            .map((c) => ({
              author: userSub.get(c.author_id) ?? '',
              value: Number(c.value),
              status: c.status as ExportDocument['goals'][number]['status'],
              comment: c.comment,
              idempotencyKey: c.idempotency_key,
              version: Number(c.kr_version),
              createdAt: iso(c.created_at),
            })),
        })),
    })),
  };
}

/** Every reference in the document must name something the document has. */
function referenceProblems(doc: ExportDocument): string[] {
  const problems: string[] = [];
  const unique = (what: string, values: string[]) => {
    const seen = new Set<string>();
    for (const value of values) {
      if (seen.has(value)) problems.push(`${what} "${value}" appears twice`);
      seen.add(value);
    }
    return seen;
  };
  const timeframes = unique(
    'timeframe ref',
    doc.timeframes.map((t) => t.ref),
  );
  const teams = unique(
    'team key',
    doc.teams.map((t) => t.key),
  );
  const users = unique(
    'user externalId',
    doc.users.map((u) => u.externalId),
  );
  const goals = unique(
    'goal ref',
    doc.goals.map((g) => g.ref),
  );
  const need = (set: Set<string>, value: string | null, where: string) => {
    if (value !== null && !set.has(value)) problems.push(`${where}: "${value}" is not in the file`);
  };
  doc.teams.forEach((t, i) => need(teams, t.parent, `teams[${i}].parent`));
  doc.users.forEach((u, i) => u.teams.forEach((t, j) => need(teams, t, `users[${i}].teams[${j}]`)));
  doc.goals.forEach((g, i) => {
    need(users, g.owner, `goals[${i}].owner`);
    need(teams, g.team, `goals[${i}].team`);
    need(timeframes, g.timeframe, `goals[${i}].timeframe`);
    need(goals, g.parent, `goals[${i}].parent`);
    g.keyResults.forEach((k, j) => {
      need(users, k.owner, `goals[${i}].keyResults[${j}].owner`);
      k.checkIns.forEach((c, n) =>
        need(users, c.author, `goals[${i}].keyResults[${j}].checkIns[${n}].author`),
      );
    });
  });
  const parentOf = new Map(doc.goals.map((g) => [g.ref, g.parent]));
  for (const goal of doc.goals) {
    const seen = new Set<string>();
    for (let ref: string | null = goal.ref; ref !== null; ref = parentOf.get(ref) ?? null) {
      if (seen.has(ref)) {
        problems.push(`goal "${goal.ref}" is its own ancestor`);
        break;
      }
      seen.add(ref);
    }
  }
  return problems;
}

export function parseDocument(text: string): ExportDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError('invalid_import', 'The file is not JSON (CSV needs --format csv)', 400);
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (version !== undefined && version !== 1) {
    throw new AppError(
      'invalid_import',
      `Export version ${String(version)} is not one this okr-embed reads (1)`,
      400,
    );
  }
  const parsed = exportDocument.safeParse(raw);
  const problems = parsed.success
    ? referenceProblems(parsed.data)
    : parsed.error.issues
        .slice(0, 20)
        .map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
  if (!parsed.success || problems.length > 0) {
    throw new AppError(
      'invalid_import',
      `The file cannot be imported:\n  ${problems.join('\n  ')}`,
      400,
      problems,
    );
  }
  return parsed.data;
}

export type PropagateGoal = (
  orgId: string,
  goalId: string,
  initiativesCount: boolean,
  tx: Tx,
) => Promise<void>;

interface CsvGoal {
  line: number;
  ref: string;
  title: string;
  description: string | null;
  level: string;
  ownerId: string | null;
  teamId: string | null;
  timeframeId: string;
  parent: string | null;
  progressSource: string;
  keyResults: Array<{
    line: number;
    title: string;
    kind: string;
    start: number;
    target: number;
    current: number;
    unit: string | null;
    weight: number;
    ownerId: string | null;
  }>;
}

const goalColumns = csvColumns.filter((c) => !c.startsWith('kr_'));
const krColumns = csvColumns.filter((c) => c.startsWith('kr_'));

/** Reads the rows against the org's people, teams and timeframes; every bad row is reported. */
function planCsv(rows: OrgRows, text: string): { goals: CsvGoal[]; errors: string[] } {
  const { records, errors } = parseCsv(text);
  const timeframes = new Map(rows.timeframes.map((t) => [t.name, t.id]));
  const users = new Map(rows.users.map((u) => [u.external_id, u.id]));
  const teams = new Map(rows.teams.map((t) => [t.team_key, t.id]));
  const goals = new Map<string, CsvGoal & { record: CsvRecord }>();
  for (const { line, record } of records) {
    const bad = (message: string) => errors.push(`line ${line}: ${message}`);
    const lookUp = (map: Map<string, string>, column: keyof CsvRecord, what: string) => {
      const value = record[column];
      if (value === '') return null;
      const id = map.get(value);
      if (id === undefined) bad(`${column}: no ${what} "${value}" in this org`);
      return id ?? null;
    };
    const number = (column: keyof CsvRecord, fallback?: number) => {
      const raw = record[column];
      if (raw === '' && fallback !== undefined) return fallback;
      const value = Number(raw);
      if (raw === '' || !Number.isFinite(value) || Math.abs(value) > 1e13) {
        bad(`${column}: "${raw}" is not a number`);
        return 0;
      }
      return value;
    };
    if (record.goal === '') {
      bad('goal: every row names its goal (any reference unique in the file)');
      continue;
    }
    let goal = goals.get(record.goal);
    if (goal) {
      const differs = goalColumns.filter((c) => record[c] !== goal?.record[c]);
      if (differs.length > 0)
        bad(`${differs.join(', ')} differ from line ${goal.line} of goal "${record.goal}"`);
    } else {
      const before = errors.length;
      if (record.goal_title === '' || record.goal_title.length > 200)
        bad('goal_title: 1 to 200 characters');
      if (!goalLevel.safeParse(record.level).success)
        bad(`level: "${record.level}" is not one of ${goalLevel.options.join(', ')}`);
      const source = record.progress_source || 'key_results';
      if (!progressSource.safeParse(source).success) {
        bad(`progress_source: "${source}" is not one of ${progressSource.options.join(', ')}`);
      }
      const timeframeId = timeframes.get(record.timeframe);
      if (timeframeId === undefined)
        bad(`timeframe: no timeframe named "${record.timeframe}" in this org`);
      if (record.parent_goal === record.goal) bad('parent_goal: a goal cannot be its own parent');
      goal = {
        line,
        record,
        ref: record.goal,
        title: record.goal_title,
        description: record.goal_description || null,
        level: record.level,
        ownerId: lookUp(users, 'goal_owner', 'user'),
        teamId: lookUp(teams, 'team', 'team'),
        timeframeId: timeframeId ?? '',
        parent: record.parent_goal || null,
        progressSource: source,
        keyResults: [],
      };
      // A bad goal is not kept, but its key-result columns are still checked: every mistake of
      // the row is reported at once.
      if (errors.length === before) goals.set(record.goal, goal);
    }
    if (record.kr_title === '') {
      const stray = krColumns.filter((c) => record[c] !== '');
      if (stray.length > 0) bad(`kr_title is empty but ${stray.join(', ')} are not`);
      continue;
    }
    if (record.kr_title.length > 200) bad('kr_title: at most 200 characters');
    if (!keyResultKind.safeParse(record.kr_kind).success) {
      bad(`kr_kind: "${record.kr_kind}" is not one of ${keyResultKind.options.join(', ')}`);
    }
    const start = number('kr_start');
    const weight = number('kr_weight', 1);
    if (weight < 0) bad('kr_weight: not negative');
    goal.keyResults.push({
      line,
      title: record.kr_title,
      kind: record.kr_kind,
      start,
      target: number('kr_target'),
      current: number('kr_current', start),
      unit: record.kr_unit || null,
      weight,
      ownerId: lookUp(users, 'kr_owner', 'user'),
    });
  }
  for (const goal of goals.values()) {
    if (goal.parent !== null && !goals.has(goal.parent)) {
      errors.push(`line ${goal.line}: parent_goal: "${goal.parent}" is not a goal of this file`);
    }
    const seen = new Set<string>();
    for (let ref: string | null = goal.ref; ref !== null; ref = goals.get(ref)?.parent ?? null) {
      if (seen.has(ref)) {
        errors.push(`line ${goal.line}: parent_goal: goal "${goal.ref}" would be its own ancestor`);
        break;
      }
      seen.add(ref);
    }
  }
  return { goals: [...goals.values()], errors };
}

export function createOrgExportService(repo: OrgExportRepository, propagate?: PropagateGoal) {
  return {
    async exportCsv(org: OrgRecord, onProgress?: OnProgress): Promise<string> {
      const rows = await repo.readOrg(org.id);
      const doc = toDocument(rows);
      const timeframeName = new Map(doc.timeframes.map((t) => [t.ref, t.name]));
      const records = doc.goals.flatMap((g) => {
        const goal = {
          goal: g.ref,
          goal_title: g.title,
          goal_description: g.description ?? '',
          level: g.level,
          goal_owner: g.owner ?? '',
          team: g.team ?? '',
          timeframe: timeframeName.get(g.timeframe) ?? '',
          parent_goal: g.parent ?? '',
          progress_source: g.progressSource,
        };
        const none = Object.fromEntries(krColumns.map((c) => [c, ''])) as Record<
          (typeof krColumns)[number],
          string
        >;
        if (g.keyResults.length === 0) return [{ ...goal, ...none }];
        return g.keyResults.map((k) => ({
          ...goal,
          kr_title: k.title,
          kr_kind: k.kind,
          kr_start: String(k.start),
          kr_target: String(k.target),
          kr_current: String(k.current),
          kr_unit: k.unit ?? '',
          kr_weight: String(k.weight),
          kr_owner: k.owner ?? '',
        }));
      });
      onProgress?.(doc.goals.length, doc.goals.length);
      return toCsv(records);
    },

    /**
     * Adds the file's goals and key results to the org. Every row is checked first; one bad row
     * and nothing is written, and every bad row is named by its line.
     */
    async importCsv(
      org: OrgRecord,
      text: string,
      options: { dryRun: boolean; onProgress?: OnProgress },
    ) {
      const { goals, errors } = planCsv(await repo.readOrg(org.id), text);
      if (errors.length > 0) {
        throw new AppError(
          'invalid_import',
          `${errors.length} bad row${errors.length === 1 ? '' : 's'}, nothing was imported:\n  ${errors.join('\n  ')}`,
          400,
          errors,
        );
      }
      const imported = {
        goals: goals.length,
        keyResults: goals.reduce((n, g) => n + g.keyResults.length, 0),
      };
      const plan = goals.flatMap((g) => [
        `line ${g.line}: new goal "${g.title}"${g.parent ? ` under "${g.parent}"` : ''}`,
        ...g.keyResults.map((k) => `line ${k.line}:   new key result "${k.title}"`),
      ]);
      if (options.dryRun) return { dryRun: true, plan, imported };
      const ids = new Map(goals.map((g) => [g.ref, randomUUID()]));
      const now = Date.now();
      await repo.transaction(async (tx) => {
        await repo.insert(
          'goals',
          goals.map((g, i) => ({
            id: ids.get(g.ref) ?? null,
            org_id: org.id,
            title: g.title,
            description: g.description,
            level: g.level,
            owner_id: g.ownerId,
            team_id: g.teamId,
            timeframe_id: g.timeframeId,
            parent_id: g.parent === null ? null : (ids.get(g.parent) ?? null),
            progress_source: g.progressSource,
            status: 'not_started',
            progress: 0,
            version: 1,
            archived: false,
            deleted_at: null,
            created_at: now + i,
            updated_at: now + i,
          })),
          tx,
        );
        await repo.insert(
          'key_results',
          goals.flatMap((g, i) =>
            g.keyResults.map((k) => ({
              id: randomUUID(),
              org_id: org.id,
              goal_id: ids.get(g.ref) ?? null,
              title: k.title,
              kind: k.kind,
              start_value: k.start,
              target_value: k.target,
              current_value: k.current,
              unit: k.unit,
              weight: k.weight,
              owner_id: k.ownerId,
              status: 'not_started',
              progress: keyResultProgress({
                kind: k.kind as Parameters<typeof keyResultProgress>[0]['kind'],
                start: k.start,
                target: k.target,
                current: k.current,
              }),
              version: 1,
              deleted_at: null,
              created_at: now + i,
              updated_at: now + i,
            })),
          ),
          tx,
        );
        // Goals' cached progress from their key results and, bottom-up, their children.
        let done = 0;
        for (const goal of [...goals].reverse()) {
          await propagate?.(org.id, ids.get(goal.ref) ?? '', org.settings.initiativesCount, tx);
          options.onProgress?.(++done, goals.length);
        }
      });
      return { dryRun: false, plan, imported };
    },

    async exportJson(org: OrgRecord, onProgress?: OnProgress): Promise<ExportDocument> {
      const rows = await repo.readOrg(org.id);
      onProgress?.(rows.goals.length, rows.goals.length);
      return toDocument(rows);
    },

    /** Into an empty org only, in one transaction: a failure leaves the org as empty as it was. */
    async importJson(org: OrgRecord, doc: ExportDocument, onProgress?: OnProgress) {
      if ((await repo.countRows(org.id)) > 0) {
        throw new AppError(
          'org_not_empty',
          `Organization "${org.slug}" already has data: a JSON export imports into an empty org (okr org create)`,
          409,
        );
      }
      const ids = new Map<string, string>();
      const idOf = (kind: string, ref: string | null) => {
        if (ref === null) return null;
        const key = `${kind}:${ref}`;
        let id = ids.get(key);
        if (!id) ids.set(key, (id = randomUUID()));
        return id;
      };
      const orgId = org.id;
      const table = <T>(items: T[], toRow: (item: T) => Row) => items.map(toRow);
      await repo.transaction(async (tx) => {
        await repo.insert(
          'timeframes',
          table(doc.timeframes, (t) => ({
            id: idOf('timeframe', t.ref),
            org_id: orgId,
            name: t.name,
            start_date: t.startDate,
            end_date: t.endDate,
            created_at: millis(t.createdAt),
          })),
          tx,
        );
        await repo.insert(
          'teams',
          table(doc.teams, (t) => ({
            id: idOf('team', t.key),
            org_id: orgId,
            team_key: t.key,
            name: t.name,
            parent_id: idOf('team', t.parent),
            created_at: millis(t.createdAt),
          })),
          tx,
        );
        await repo.insert(
          'users',
          table(doc.users, (u) => ({
            id: idOf('user', u.externalId),
            org_id: orgId,
            external_id: u.externalId,
            name: u.name,
            email: u.email,
            avatar_url: u.avatarUrl,
            created_at: millis(u.createdAt),
            updated_at: millis(u.updatedAt),
          })),
          tx,
        );
        await repo.insert(
          'memberships',
          doc.users.flatMap((u) =>
            u.teams.map((t) => ({
              user_id: idOf('user', u.externalId),
              team_id: idOf('team', t),
              org_id: orgId,
            })),
          ),
          tx,
        );
        const chunk = 500;
        for (let offset = 0; offset < doc.goals.length; offset += chunk) {
          const goals = doc.goals.slice(offset, offset + chunk);
          await repo.insert(
            'goals',
            table(goals, (g) => ({
              id: idOf('goal', g.ref),
              org_id: orgId,
              title: g.title,
              description: g.description,
              level: g.level,
              owner_id: idOf('user', g.owner),
              team_id: idOf('team', g.team),
              timeframe_id: idOf('timeframe', g.timeframe),
              parent_id: idOf('goal', g.parent),
              progress_source: g.progressSource,
              status: g.status,
              progress: g.progress,
              version: g.version,
              archived: g.archived,
              deleted_at: null,
              created_at: millis(g.createdAt),
              updated_at: millis(g.updatedAt),
            })),
            tx,
          );
          const keyResults = goals.flatMap((g) =>
            g.keyResults.map((k) => ({ goal: g.ref, k, id: randomUUID() })),
          );
          await repo.insert(
            'key_results',
            table(keyResults, ({ goal, k, id }) => ({
              id,
              org_id: orgId,
              goal_id: idOf('goal', goal),
              title: k.title,
              kind: k.kind,
              start_value: k.start,
              target_value: k.target,
              current_value: k.current,
              unit: k.unit,
              weight: k.weight,
              owner_id: idOf('user', k.owner),
              status: k.status,
              progress: k.progress,
              version: k.version,
              deleted_at: null,
              created_at: millis(k.createdAt),
              updated_at: millis(k.updatedAt),
            })),
            tx,
          );
          await repo.insert(
            'check_ins',
            keyResults.flatMap(({ k, id }) =>
              k.checkIns.map((c) => ({
                id: randomUUID(),
                org_id: orgId,
                key_result_id: id,
                author_id: idOf('user', c.author),
                value: c.value,
                status: c.status,
                comment: c.comment,
                idempotency_key: c.idempotencyKey,
                kr_version: c.version,
                created_at: millis(c.createdAt),
              })),
            ),
            tx,
          );
          onProgress?.(Math.min(offset + chunk, doc.goals.length), doc.goals.length);
        }
      });
      return {
        timeframes: doc.timeframes.length,
        teams: doc.teams.length,
        users: doc.users.length,
        goals: doc.goals.length,
        keyResults: doc.goals.reduce((n, g) => n + g.keyResults.length, 0),
        checkIns: doc.goals.reduce(
          (n, g) => n + g.keyResults.reduce((m, k) => m + k.checkIns.length, 0),
          0,
        ),
      };
    },
  };
}
