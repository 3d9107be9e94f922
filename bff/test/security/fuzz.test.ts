/**
 * Property-based fuzzing of every operation in the OpenAPI document: bodies, query strings and
 * headers built from each operation's own schemas, then bent (junk values, unknown keys, wrong
 * types, odd content types). Whatever arrives: never a 5xx, always the error shape on a 4xx, and
 * a 4xx leaves every table exactly as it was.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import {
  fingerprint,
  routeTable,
  warmUp,
  type JsonSchema,
  type RouteOperation,
} from '../support/security.js';

/** Runs per operation: 14 × 120 = 1 680 requests per database, 10–20 s on 2 busy cores. */
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 120);

const junkText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    'NaN',
    '-1',
    '1e309',
    '0x10',
    "' OR 1=1 --",
    '../../etc/passwd',
    '%00',
    '<script>alert(1)</script>',
    '{"$gt":""}',
    'me',
    'current',
    'none',
  ),
);
const junkJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  junkText,
  fc.double(),
  fc.constantFrom(null, true, [], {}, 1e300, -0),
);

/** Values the schema describes (often valid), from the ids that exist where it asks for one. */
function fromSchema(schema: JsonSchema, ids: string[]): fc.Arbitrary<unknown> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromSchema(s, ids)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'uuid')
        return fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...ids) },
          { weight: 1, arbitrary: fc.uuid() },
        );
      if (schema.format === 'date')
        return fc
          .date({ min: new Date('1999-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: (schema.maxLength ?? 50) + 2,
      });
    case 'number':
      return fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: -1_000, max: 1_000 }));
    case 'integer':
      return fc.integer({
        min: (schema.minimum ?? -10) - 2,
        max: Math.min(schema.maximum ?? 200, 200) + 2,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? fromSchema(schema.items, ids) : junkJson, { maxLength: 3 });
    case 'object': {
      const properties = schema.properties ?? {};
      const record = fc.record(
        Object.fromEntries(
          Object.entries(properties).map(([name, s]) => [name, bent(fromSchema(s, ids))]),
        ),
        { requiredKeys: schema.required ?? [] },
      );
      return fc.oneof(
        { weight: 4, arbitrary: record },
        {
          weight: 1,
          arbitrary: fc
            .tuple(record, fc.string({ minLength: 1, maxLength: 12 }), junkJson)
            .map(([object, key, value]) => ({ ...(object as object), [key]: value })),
        },
      );
    }
    default:
      return junkJson;
  }
}

/** Mostly the schema's kind of value, sometimes anything at all. */
const bent = (arbitrary: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 12, arbitrary }, { weight: 1, arbitrary: junkJson });

const headerSafe = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').trim();

interface FuzzedRequest {
  path: string;
  headers: Record<string, string>;
  rawBody?: string;
  token: keyof Actors;
}

function requestsFor(op: RouteOperation, ids: string[]): fc.Arbitrary<FuzzedRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const query = op.parameters.filter((p) => p.in === 'query');
  const headers = op.parameters.filter((p) => p.in === 'header');
  const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  return fc.record({
    path: fc
      .tuple(
        fc.tuple(...pathParams.map(() => fc.oneof(fc.constantFrom(...ids), fc.uuid(), junkText))),
        fc.record(
          Object.fromEntries(
            query.map((p) => [p.name, bent(fromSchema(p.schema, ids)).map(asText)]),
          ),
          { requiredKeys: [] },
        ),
        fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), junkText)),
      )
      .map(([params, values, extra]) => {
        let path = op.path;
        pathParams.forEach((p, i) => {
          path = path.replace(`{${p.name}}`, encodeURIComponent(String(params[i])));
        });
        const search = new URLSearchParams(values as Record<string, string>);
        if (extra) search.append(extra[0], extra[1]);
        return `/api/v1${path}${search.size > 0 ? `?${search}` : ''}`;
      }),
    headers: fc
      .record(
        {
          ...Object.fromEntries(
            headers.map((h) => [
              h.name.toLowerCase(),
              fc.oneof(
                fc.nat({ max: 5 }).map((v) => `"${v}"`),
                bent(fromSchema(h.schema, ids)).map(asText),
              ),
            ]),
          ),
          'content-type': fc.constantFrom(
            'application/json',
            'application/json',
            'application/json',
            'application/json',
            'application/json',
            'application/json; charset=utf-8',
            'application/json; charset=utf-16',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
          ),
          'content-encoding': fc.constantFrom(
            'identity',
            'identity',
            'identity',
            'gzip',
            'deflate',
            'br',
            'x-junk',
          ),
          'if-none-match': junkText,
          'x-request-id': junkText,
          accept: fc.constantFrom('application/json', 'text/html', '*/*', ''),
        },
        { requiredKeys: ['content-type'] },
      )
      .map((h) =>
        Object.fromEntries(
          Object.entries(h).map(([name, value]) => [name, headerSafe(String(value))]),
        ),
      ),
    rawBody: op.body
      ? fc.oneof(
          { weight: 6, arbitrary: fromSchema(op.body, ids).map((b) => JSON.stringify(b)) },
          { weight: 1, arbitrary: junkJson.map((b) => JSON.stringify(b) ?? 'null') },
          { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
        )
      : op.method === 'get'
        ? fc.constant(undefined) // fetch sends no body with a GET
        : fc.option(
            junkJson.map((b) => JSON.stringify(b) ?? 'null'),
            { nil: undefined, freq: 4 },
          ),
    token: fc.constantFrom<keyof Actors>(
      'writer',
      'writer',
      'writer',
      'admin',
      'reader',
      'stranger',
    ),
  });
}

for (const dialect of dialects()) {
  describe(`[${dialect.name}] security: fuzzing every OpenAPI operation`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;
    let ids: string[];

    before(async () => {
      app = await startTestApp(dialect);
      org = await app.createOrg();
      as = await actorsOf(org);
      await warmUp(app, as);
      const goal = await createGoal(app, as.writer, {
        title: 'Fuzz target',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      const keyResult = await createKeyResult(app, as.writer, goal.id, {
        title: 'Fuzz KR',
        kind: 'increase',
        target: 10,
      });
      const me = (await app.request('GET', '/api/v1/me', { token: as.writer })).body;
      ids = [goal.id, keyResult.id, org.timeframeId, me.user.id, me.teams[0].id];
    });
    after(() => app.close());

    it('when fast-check sends generated bodies, queries and headers to every operation, then no 5xx, 4xx answers keep the error shape and change nothing', async (t) => {
      // A stream answered 200 never ends, so it cannot be awaited as one answer; its refusals
      // (bad Last-Event-ID, scope, token, origin) are tested in test/events/events.test.ts.
      const operations = (await routeTable(app)).filter((op) => !op.stream);
      assert.ok(operations.length >= 10);
      let baseline = await fingerprint(app.db);
      let requests = 0;
      const statuses = new Map<number, number>();
      for (const op of operations) {
        await fc.assert(
          fc.asyncProperty(requestsFor(op, ids), async (fuzzed) => {
            const answer = await app.request(op.method.toUpperCase(), fuzzed.path, {
              token: as[fuzzed.token],
              headers: fuzzed.headers,
              rawBody: fuzzed.rawBody,
            });
            requests += 1;
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            const label = `${op.method.toUpperCase()} ${fuzzed.path} ${JSON.stringify(fuzzed.headers)} ${fuzzed.rawBody}`;
            assert.ok(answer.status < 500, `${label} → ${answer.status} ${answer.text}`);
            const now = await fingerprint(app.db);
            if (answer.status >= 400) {
              const error = answer.body?.error;
              assert.equal(typeof error?.code, 'string', `${label}: ${answer.text}`);
              assert.equal(typeof error?.message, 'string', `${label}: ${answer.text}`);
              assert.equal(typeof error?.requestId, 'string', `${label}: ${answer.text}`);
              assert.equal(now, baseline, `${label} → ${answer.status} changed the database`);
            }
            baseline = now;
          }),
          { numRuns: RUNS_PER_OPERATION },
        );
      }
      const byStatus = [...statuses].sort(([x], [y]) => x - y).map(([s, n]) => `${s}:${n}`);
      t.diagnostic(
        `fuzz: ${requests} requests over ${operations.length} operations (${RUNS_PER_OPERATION} runs each); statuses ${byStatus.join(' ')}`,
      );
      assert.equal(requests, operations.length * RUNS_PER_OPERATION);
    });
  });
}
