import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

// Sequelize's own replacement escaping and placeholder scanner, the ones `sequelize.query`
// applies. The modules are CommonJS whose exports Node cannot list for an ES import.
const require = createRequire(import.meta.url);
const { injectReplacements } =
  require('sequelize/lib/utils/sql') as typeof import('sequelize/lib/utils/sql');
const { escape } = require('sequelize/lib/sql-string') as {
  escape(value: unknown, timeZone: undefined, dialect: string, format: boolean): string;
};

export type SqlDialect = Parameters<typeof injectReplacements>[1] & { name: string };
type Params = Record<string, unknown>;

/** A statement's text cut at its placeholders: `parts[i]`, then `names[i]`'s value, and so on. */
interface Template {
  parts: string[];
  names: string[];
}

/*
 * Why: Sequelize's `injectReplacements` walks the statement a character at a time and, at each
 * placeholder, slices the rest of the text and runs a regular expression over it. A check-in's
 * batch (rows, idempotency records with their stored answers) spent more allocation there than
 * anywhere else, most of the young-generation churn of a check-in. The text of a statement is
 * one of few (the BFF's own SQL, and its bulk INSERTs by row count), so it is cut once and the
 * values are escaped into the pieces after that.
 *
 * The cut is Sequelize's own: the statement is run once through `injectReplacements` with a
 * marker for every name that looks like a placeholder, and split where the markers came out. So
 * what counts as a placeholder (not inside a string, an identifier or a comment) stays exactly
 * Sequelize's, and so does the escaping of each value, but for MySQL strings (below).
 */
const MARK = `okr_${randomBytes(8).toString('hex')}_`;
const markAt = new RegExp(`'${MARK}(\\d+)'`, 'g');
const NAME = /:([a-z_][0-9a-z_]*)/gi;

/** Statements whose cut is kept. More than the BFF's own SQL can make, far less than memory. */
const MAX_TEMPLATES = 1000;
const templates = new Map<string, Template>();

function templateOf(sql: string, dialect: SqlDialect): Template {
  const kept = templates.get(sql);
  if (kept) return kept;
  const candidates = [...new Set(Array.from(sql.matchAll(NAME), (match) => match[1] as string))];
  const marked = injectReplacements(
    sql,
    dialect,
    Object.fromEntries(candidates.map((name, i) => [name, `${MARK}${i}`])),
  );
  const parts: string[] = [];
  const names: string[] = [];
  let from = 0;
  for (const match of marked.matchAll(markAt)) {
    parts.push(marked.slice(from, match.index));
    names.push(candidates[Number(match[1])] as string);
    from = (match.index as number) + match[0].length;
  }
  parts.push(marked.slice(from));
  const template = { parts, names };
  // A plain bound: if this many distinct texts ever came, forget them all and start again.
  if (templates.size >= MAX_TEMPLATES) templates.clear();
  templates.set(sql, template);
  return template;
}

/*
 * Why: MySQL's escaping in Sequelize puts a backslash before every double quote too, one
 * replacement callback and string each, though inside a single-quoted literal a `"` is just a
 * character. A check-in's idempotency record holds its JSON answer, ~3 KB with ~550 quotes:
 * 54 µs of escaping and its garbage per check-in, against 4 µs for a string that needs none.
 * So a MySQL string with none of the characters Sequelize escapes but `"` (NUL, \n, \r,
 * backspace, tab, backslash, single quote, ^Z) is quoted as it is; any other value is escaped
 * by Sequelize as before, the whole string included.
 */
// eslint-disable-next-line no-control-regex -- the control characters are the point
const MYSQL_ESCAPED = /[\0\n\r\b\t\\'\x1a]/;

function escapeValue(value: unknown, dialect: string): string {
  if (typeof value === 'string' && dialect === 'mysql' && !MYSQL_ESCAPED.test(value)) {
    return `'${value}'`;
  }
  return escape(value, undefined, dialect, true);
}

/**
 * `sql` with each `:name` replaced by its escaped value from `params`: the same text
 * `injectReplacements(sql, dialect, params)` gives (but for the double quotes of a MySQL string
 * that needs no other escaping, left as they are), and the same error for a missing value.
 */
export function formatSql(sql: string, dialect: SqlDialect, params: Params): string {
  const { parts, names } = templateOf(sql, dialect);
  let text = parts[0] as string;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const value = params[name];
    if (value === undefined || !Object.prototype.hasOwnProperty.call(params, name)) {
      throw new Error(`Named replacement ":${name}" has no entry in the replacement map.`);
    }
    text += escapeValue(value, dialect.name) + (parts[i + 1] as string);
  }
  return text;
}
