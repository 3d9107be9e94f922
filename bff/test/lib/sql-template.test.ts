/**
 * formatSql against Sequelize's own `injectReplacements`, which `sequelize.query` applies: for
 * the shapes of SQL the BFF writes (and the traps around them: colons in strings, identifiers
 * and comments, names that prefix others, lists, odd characters), both give the same text, the
 * first time a statement is seen and every time after, and the same error for a missing value.
 * The one difference, a MySQL string whose double quotes are left unescaped, is checked where it
 * matters: every odd string comes back from MariaDB exactly as it went in (where TEST_MYSQL_URL
 * names a server, as in CI; formatSql serves MySQL batches only).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { QueryTypes, Sequelize } from 'sequelize';
import { formatSql, type SqlDialect } from '../../src/lib/sql-template.js';
import { dialects } from '../support/harness.js';

const { injectReplacements } = createRequire(import.meta.url)(
  'sequelize/lib/utils/sql',
) as typeof import('sequelize/lib/utils/sql');

// A MySQL Sequelize that never connects: only its dialect (escaping rules) is used.
const { dialect } = new Sequelize('mysql://root@127.0.0.1:1/none', {
  logging: false,
}) as unknown as { dialect: SqlDialect };

const cases: Array<[string, string, Record<string, unknown>]> = [
  [
    'a bulk insert whose names prefix each other',
    'INSERT INTO t (id, v) VALUES (:id, :v), (:id1, :v1), (:id10, :v10)',
    { id: 'a', v: 1, id1: 'b', v1: 2.5, id10: 'c', v10: null },
  ],
  [
    'a list, a repeated name and a name before a semicolon',
    'SELECT * FROM t WHERE org_id = :org AND id IN (:ids) OR owner = :org;',
    { org: 'o-1', ids: ['x', "it's", 'z\\'] },
  ],
  [
    'colons inside a string, an identifier and comments are not placeholders',
    "SELECT ':skip', `:col`, a /* :nope */ FROM t -- :gone\nWHERE b = :b AND c = 'x:y'",
    { b: 'value', skip: 1, col: 2, nope: 3, gone: 4, y: 5 },
  ],
  [
    'a colon after a word is not a placeholder',
    "SELECT a:b, TIME '10:30' FROM t WHERE x=:x",
    { x: 7, b: 'no', '30': 'no' },
  ],
  [
    'values that need escaping, booleans and dates',
    'UPDATE t SET body = :body, ok = :ok, at = :at WHERE id = :id',
    {
      body: '{"say":"it\'s \\"quoted\\"\\n\\u0000 and \\\\ back"}\r\n\t\x1a',
      ok: true,
      at: new Date(Date.UTC(2026, 11, 3, 12, 0, 0)),
      id: 'k',
    },
  ],
  [
    'an escaped quote inside a string does not end it',
    "SELECT 'a\\' :notme' AS s, :me AS m",
    { me: 'yes', notme: 'no' },
  ],
  ['no placeholders at all', 'SELECT 1', {}],
];

describe('formatSql', () => {
  for (const [name, sql, params] of cases) {
    it(`when ${name}, then the text is Sequelize's, the first time and after`, () => {
      const expected = injectReplacements(sql, dialect, params);
      assert.equal(formatSql(sql, dialect, params), expected);
      assert.equal(formatSql(sql, dialect, params), expected);
    });
  }

  it('when the same statement comes with other values, then each call escapes its own', () => {
    const sql = 'SELECT * FROM t WHERE id = :id AND n > :n';
    for (const params of [
      { id: 'one', n: 1 },
      { id: "two'", n: -2 },
      { id: ['a', 'b'], n: 3.25 },
    ]) {
      assert.equal(formatSql(sql, dialect, params), injectReplacements(sql, dialect, params));
    }
  });

  it('when a MySQL string needs no escaping but for double quotes, then it is quoted as it is', () => {
    const body = '{"checkIn":{"comment":"weekly: 40 % done"},"goal":{"title":"Ship it"}}';
    assert.equal(formatSql('SELECT :body', dialect, { body }), `SELECT '${body}'`);
    // With any other character that needs it, the whole string is Sequelize's.
    const quoted = `${body}'`;
    assert.equal(
      formatSql('SELECT :quoted', dialect, { quoted }),
      injectReplacements('SELECT :quoted', dialect, { quoted }),
    );
  });

  it('when a value is missing or undefined, then it fails as Sequelize does', () => {
    const sql = 'SELECT * FROM t WHERE id = :id AND org = :org';
    for (const params of [{ id: 'x' }, { id: 'x', org: undefined }]) {
      const sequelizeError = (() => {
        try {
          injectReplacements(sql, dialect, params);
        } catch (error) {
          return (error as Error).message;
        }
        return 'no error';
      })();
      assert.match(sequelizeError, /:org/);
      assert.throws(() => formatSql(sql, dialect, params), { message: sequelizeError });
    }
  });

  it('when a statement has an unterminated string, then it is refused every time', () => {
    for (let i = 0; i < 2; i++) {
      assert.throws(() => formatSql("SELECT 'open :x", dialect, { x: 1 }), /unterminated/);
    }
  });
});

const oddStrings = [
  '{"say":"plain JSON, quotes only"}',
  '"',
  '""',
  "'",
  "it's",
  '\\',
  '\\"',
  '"\\',
  '{"comment":"a \\"quoted\\" word\\n"}',
  'back\\slash at the end\\',
  'line\nbreak\r\nand\ttab',
  'NUL \0 and ^Z \x1a and backspace \b',
  "'; DROP TABLE goals; --",
  '" OR "1"="1',
  'ünïcødé ✓ 🎯 and a "quote"',
  '',
];

for (const spec of dialects().filter((d) => d.name === 'mariadb')) {
  describe('formatSql on MariaDB', () => {
    it('when odd strings are formatted into a statement, then MariaDB reads each back as it was', async () => {
      const database = await spec.create();
      const sequelize = new Sequelize(database.url, { dialect: 'mysql', logging: false });
      try {
        const live = (sequelize as unknown as { dialect: SqlDialect }).dialect;
        for (const value of oddStrings) {
          const sql = formatSql('SELECT :value AS value, :after AS after', live, {
            value,
            after: 'next',
          });
          const [row] = await sequelize.query<{ value: string; after: string }>(sql, {
            type: QueryTypes.SELECT,
          });
          assert.deepEqual(row, { value, after: 'next' }, `as sent: ${sql}`);
        }
      } finally {
        await sequelize.close();
        await database.drop();
      }
    });
  });
}
