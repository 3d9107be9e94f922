/** A CSV of goals and key results read against the org's people, teams and timeframes. */
import { goalLevel, keyResultKind, progressSource } from '../../lib/schemas.js';
import { csvColumns, parseCsv, type CsvRecord } from './org-export.csv.js';
import type { OrgRows } from './org-export.repository.js';

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
export const krColumns = csvColumns.filter((c) => c.startsWith('kr_'));

/** Reads the rows against the org's people, teams and timeframes; every bad row is reported. */
export function planCsv(rows: OrgRows, text: string): { goals: CsvGoal[]; errors: string[] } {
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
