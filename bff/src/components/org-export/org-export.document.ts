/** The versioned JSON document of an org's OKRs: built from its rows, and read back with every reference checked. */
import { AppError } from '../../lib/errors.js';
import type { OrgRows } from './org-export.repository.js';
import { exportDocument, type ExportDocument } from './org-export.schema.js';

const iso = (millis: unknown) => new Date(Number(millis)).toISOString();
export const millis = (timestamp: string) => Date.parse(timestamp);
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
        // The goal's own order; a file's array order is the order an import gives back.
        .sort((a, b) => Number(a.position) - Number(b.position) || creationOrder(a, b))
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
