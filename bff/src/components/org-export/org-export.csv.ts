/**
 * CSV for spreadsheets: goals and key results, one row per key result (a goal without key
 * results has one row with the key-result columns empty). The columns are documented in
 * bff/README.md; `goal` and `parent_goal` are the file's own references, people are their
 * external ids (`sub`), teams their keys, timeframes their names.
 */
export const csvColumns = [
  'goal',
  'goal_title',
  'goal_description',
  'level',
  'goal_owner',
  'team',
  'timeframe',
  'parent_goal',
  'progress_source',
  'kr_title',
  'kr_kind',
  'kr_start',
  'kr_target',
  'kr_current',
  'kr_unit',
  'kr_weight',
  'kr_owner',
] as const;

export type CsvColumn = (typeof csvColumns)[number];
export type CsvRecord = Record<CsvColumn, string>;

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(records: CsvRecord[]): string {
  const lines = [
    csvColumns.join(','),
    ...records.map((r) => csvColumns.map((c) => cell(r[c])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

export interface ParsedCsv {
  records: Array<{ line: number; record: CsvRecord }>;
  errors: string[];
}

/** RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks. */
export function splitRecords(text: string): Array<{ line: number; fields: string[] }> {
  const out: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  let touched = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === '"' && field === '') {
      quoted = true;
      touched = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
      touched = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      if (touched || field !== '') out.push({ line: startLine, fields: [...fields, field] });
      fields = [];
      field = '';
      touched = false;
      line++;
      startLine = line;
    } else {
      field += char;
      touched = true;
    }
  }
  if (touched || field !== '') out.push({ line: startLine, fields: [...fields, field] });
  return out;
}

export function parseCsv(text: string): ParsedCsv {
  const rows = splitRecords(text.replace(/^\uFEFF/, ''));
  const header = rows.shift();
  if (!header) return { records: [], errors: ['line 1: the file is empty'] };
  const names = header.fields.map((f) => f.trim());
  const missing = csvColumns.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(csvColumns as readonly string[]).includes(n));
  if (missing.length > 0 || unknown.length > 0) {
    return {
      records: [],
      errors: [
        `line 1: the header ${[
          missing.length ? `lacks ${missing.join(', ')}` : '',
          unknown.length ? `has unknown columns ${unknown.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join(' and ')}`,
      ],
    };
  }
  const errors: string[] = [];
  const records = rows.flatMap(({ line, fields }) => {
    if (fields.length !== names.length) {
      errors.push(`line ${line}: ${fields.length} fields, the header has ${names.length}`);
      return [];
    }
    const record = Object.fromEntries(
      names.map((n, i) => [n, (fields[i] ?? '').trim()]),
    ) as CsvRecord;
    return [{ line, record }];
  });
  return { records, errors };
}
