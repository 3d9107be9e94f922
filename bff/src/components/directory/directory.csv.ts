import type { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { splitRecords } from '../org-export/org-export.csv.js';
import {
  externalId,
  provisionTeamBody,
  provisionUserBody,
  teamKey,
  type ProvisionTeamBody,
  type ProvisionUserBody,
} from './directory.schema.js';
import type { FieldName } from './directory.service.js';

/*
 * The CSV files `okr users import` and `okr teams import` read (RFC 4180, as the org export
 * writes them), checked row by row against the same schemas as PUT /users and PUT /teams, so
 * a file can say nothing the API would refuse. An empty cell leaves that field as it is, except
 * `parent`: an empty parent makes the team a root.
 */

export const userColumns = ['external_id', 'name', 'email', 'teams'] as const;
export const teamColumns = ['key', 'name', 'parent', 'members'] as const;

export interface UserRow {
  line: number;
  externalId: string;
  body: ProvisionUserBody;
  field: FieldName;
}

export interface TeamRow {
  line: number;
  key: string;
  body: ProvisionTeamBody;
  field: FieldName;
}

/** A field of a request body → the column of the file it came from. */
const columnOf: Record<string, string> = {
  externalId: 'external_id',
  parentKey: 'parent',
};

const cellName =
  (line: number): FieldName =>
  (field) => {
    const [name = '', index] = field.split('.');
    return `line ${line}, column ${columnOf[name] ?? name}${index === undefined ? '' : ` (item ${Number(index) + 1})`}`;
  };

const listOf = (cell: string) =>
  cell
    .split(';')
    .map((item) => item.trim())
    .filter(Boolean);

/** Every bad row at once, each naming its line and column; exit 1 like any refused input. */
function refuse(errors: string[]): never {
  throw new AppError(
    'invalid_file',
    `The file has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was written:\n${errors.join('\n')}`,
    400,
    errors,
  );
}

function rowsOf<C extends readonly string[]>(text: string, columns: C) {
  const rows = splitRecords(text.replace(/^\uFEFF/, ''));
  const header = rows.shift();
  const names = header?.fields.map((field) => field.trim()) ?? [];
  if (names.join(',') !== columns.join(',')) {
    refuse([`line 1: the header must be ${columns.join(',')}`]);
  }
  const errors: string[] = [];
  const records = rows.flatMap(({ line, fields }) => {
    if (fields.length !== columns.length) {
      errors.push(`line ${line}: ${fields.length} fields, the header has ${columns.length}`);
      return [];
    }
    const cells = Object.fromEntries(columns.map((c, i) => [c, (fields[i] ?? '').trim()]));
    return [{ line, cells: cells as Record<C[number], string> }];
  });
  return { records, errors };
}

function check<S extends z.ZodType>(
  schema: S,
  value: unknown,
  field: FieldName,
  errors: string[],
): z.output<S> | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    errors.push(`${field(issue.path.map(String).join('.'))}: ${issue.message}`);
  }
  return undefined;
}

export function parseUsersCsv(text: string): UserRow[] {
  const { records, errors } = rowsOf(text, userColumns);
  const seen = new Map<string, number>();
  const rows: UserRow[] = [];
  for (const { line, cells } of records) {
    const field = cellName(line);
    const id = check(externalId, cells.external_id, (at) => field(at || 'externalId'), errors);
    const body = check(
      provisionUserBody,
      {
        name: cells.name,
        ...(cells.email && { email: cells.email }),
        ...(cells.teams && { teams: listOf(cells.teams) }),
      },
      field,
      errors,
    );
    if (id !== undefined && seen.has(id)) {
      errors.push(`${field('externalId')}: "${id}" is on line ${seen.get(id)} already`);
    } else if (id !== undefined) seen.set(id, line);
    if (id !== undefined && body) rows.push({ line, externalId: id, body, field });
  }
  if (errors.length > 0) refuse(errors);
  return rows;
}

export function parseTeamsCsv(text: string): TeamRow[] {
  const { records, errors } = rowsOf(text, teamColumns);
  const seen = new Map<string, number>();
  const rows: TeamRow[] = [];
  for (const { line, cells } of records) {
    const field = cellName(line);
    const key = check(teamKey, cells.key, (at) => field(at || 'key'), errors);
    const body = check(
      provisionTeamBody,
      {
        name: cells.name,
        parentKey: cells.parent || null,
        ...(cells.members && { members: listOf(cells.members) }),
      },
      field,
      errors,
    );
    if (key !== undefined && seen.has(key)) {
      errors.push(`${field('key')}: "${key}" is on line ${seen.get(key)} already`);
    } else if (key !== undefined) seen.set(key, line);
    if (key !== undefined && body) rows.push({ line, key, body, field });
  }
  if (errors.length > 0) refuse(errors);
  return rows;
}
