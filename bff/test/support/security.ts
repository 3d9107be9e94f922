/**
 * Helpers for the security suite: a cheap fingerprint of every table (to prove a refused request
 * changed nothing), a query counter on the real Sequelize instance, and the route table as the
 * running app publishes it.
 */
import type { Database } from '../../src/lib/db.js';
import type { TestApp } from './harness.js';

/** Per table: rows, plus whatever moves on an update (updated_at, version, soft deletes). */
const fingerprintSql = [
  ['organizations', 'MAX(updated_at)', 'NULL', 'NULL'],
  ['org_origins', 'NULL', 'NULL', 'NULL'],
  ['embed_keys', "SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END)", 'NULL', 'NULL'],
  ['users', 'MAX(updated_at)', 'NULL', 'NULL'],
  ['teams', 'NULL', 'NULL', 'NULL'],
  ['memberships', 'NULL', 'NULL', 'NULL'],
  ['timeframes', 'NULL', 'NULL', 'NULL'],
  ['goals', 'MAX(updated_at)', 'SUM(version)', 'COUNT(deleted_at)'],
  ['key_results', 'MAX(updated_at)', 'SUM(version)', 'COUNT(deleted_at)'],
  ['check_ins', 'NULL', 'NULL', 'NULL'],
  ['idempotency_records', 'NULL', 'NULL', 'NULL'],
]
  .map(
    ([table, m, v, d]) =>
      `SELECT '${table}' AS t, COUNT(*) AS n, ${m} AS m, ${v} AS v, ${d} AS d FROM ${table}`,
  )
  .join(' UNION ALL ');

/** One statement; a string that changes whenever a row is added, removed or updated anywhere. */
export async function fingerprint(db: Database): Promise<string> {
  const rows = await db.select<Record<string, unknown>>(fingerprintSql);
  return rows.map((row) => Object.values(row).map(String).join('/')).join(' ');
}

/** Wraps the app's database so a test can see every SQL statement it sends, in order. */
export function queryLog(): { wrap: (db: Database) => Database; statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    wrap(db) {
      const query = db.sequelize.query.bind(db.sequelize);
      db.sequelize.query = ((sql: unknown, ...rest: unknown[]) => {
        statements.push(typeof sql === 'string' ? sql : JSON.stringify(sql));
        return (query as (...args: unknown[]) => unknown)(sql, ...rest);
      }) as typeof db.sequelize.query;
      return db;
    },
  };
}

export interface RouteOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI syntax, relative to /api/v1: `/goals/{id}`. */
  path: string;
  scope?: string;
  parameters: Array<{
    name: string;
    in: 'path' | 'query' | 'header';
    required: boolean;
    schema: JsonSchema;
  }>;
  body?: JsonSchema;
  responses: string[];
  /** The success answer is a stream (`text/event-stream`) that stays open. */
  stream: boolean;
}

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
}

/**
 * Every API operation the app serves, read from its OpenAPI document — which `ApiRouter`
 * generates from the very list it mounts the routes from.
 */
export async function routeTable(app: TestApp): Promise<RouteOperation[]> {
  const answer = await app.request('GET', '/api/v1/openapi.json');
  if (answer.status !== 200) throw new Error(`openapi.json answered ${answer.status}`);
  const operations: RouteOperation[] = [];
  const paths = answer.body.paths as Record<string, Record<string, Record<string, unknown>>>;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const security = op.security as Array<{ bearer: string[] }> | undefined;
      const requestBody = op.requestBody as
        { content: { 'application/json': { schema: JsonSchema } } } | undefined;
      operations.push({
        method: method as RouteOperation['method'],
        path,
        scope: security?.[0]?.bearer[0],
        parameters: op.parameters as RouteOperation['parameters'],
        body: requestBody?.content['application/json'].schema,
        responses: Object.keys(op.responses as object),
        stream: Object.values(op.responses as Record<string, { content?: object }>).some(
          (answer) => 'text/event-stream' in (answer.content ?? {}),
        ),
      });
    }
  }
  return operations;
}

/** Calls /me once per token so the just-in-time user rows exist before a test fingerprints. */
export async function warmUp(app: TestApp, ...actors: object[]): Promise<void> {
  for (const token of actors.flatMap((actor) => Object.values(actor) as string[])) {
    const answer = await app.request('GET', '/api/v1/me', { token });
    if (answer.status !== 200) throw new Error(`warm-up /me answered ${answer.status}`);
  }
}
