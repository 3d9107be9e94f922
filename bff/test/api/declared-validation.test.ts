/**
 * The router validates what each route declares. The operations come from the app's own OpenAPI
 * document (generated from the declarations ApiRouter mounts), so a new route is walked here the
 * day it is added: every declared path parameter, query parameter, header and body property gets
 * a bad value and must come back as the one 400 shape, naming the field.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { dialects, startTestApp, type HttpAnswer, type TestApp } from '../support/harness.js';
import { routeTable, type JsonSchema, type RouteOperation } from '../support/security.js';

const allScopes = ['okr:read', 'okr:checkin', 'okr:write', 'okr:admin'];

/**
 * Valid values for required headers, so a request can get past them to the part under test.
 * A new required header fails the walk below until it has one here.
 */
const validHeaders: Record<string, string> = { 'If-Match': '"1"' };

function maxLengths(schema: JsonSchema): number[] {
  return [
    ...(schema.maxLength === undefined ? [] : [schema.maxLength]),
    ...[...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap(maxLengths),
  ];
}

/**
 * Text no declared parameter accepts: not a number, a uuid, an enum member or base64url, and
 * longer than any length the schema allows.
 */
function badText(schema: JsonSchema): string {
  return '!'.repeat(Math.max(255, ...maxLengths(schema)) + 1);
}

/** Fills `{id}`-style segments with a well-formed id; validation comes before any lookup. */
function pathOf(op: RouteOperation, params: Record<string, string> = {}): string {
  return `/api/v1${op.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? randomUUID())}`;
}

/** A body that fails its schema, sent where a later part is under test: it must never be reached. */
const bodyOf = (op: RouteOperation) => (op.body ? ['not', 'an', 'object'] : undefined);

function requiredHeaders(op: RouteOperation): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const header of op.parameters.filter((p) => p.in === 'header' && p.required)) {
    const value = validHeaders[header.name];
    assert.ok(value, `${op.method} ${op.path}: add a valid sample for header ${header.name}`);
    headers[header.name] = value;
  }
  return headers;
}

/**
 * The shape every validation failure has: `where` is the part that failed (`path`, `query`,
 * `header If-Match`, `body`), and no other part is reported, as parts are checked one at a time.
 */
function assertInvalid(answer: HttpAnswer, where: string, field: string, label: string): void {
  assert.equal(answer.status, 400, `${label} → ${answer.status} ${answer.text}`);
  const error = answer.body?.error;
  assert.equal(error?.code, 'validation_failed', label);
  assert.equal(typeof error.message, 'string', label);
  assert.equal(error.requestId, answer.headers.get('x-request-id'), label);
  assert.ok(Array.isArray(error.details) && error.details.length > 0, `${label}: ${answer.text}`);
  for (const detail of error.details) {
    assert.equal(typeof detail.message, 'string', label);
    assert.ok(
      detail.field === where || detail.field.startsWith(`${where}.`),
      `${label}: ${detail.field} is not in ${where}`,
    );
  }
  assert.ok(
    error.details.some((detail: { field: string }) => detail.field === field),
    `${label}: no detail for ${field} in ${answer.text}`,
  );
}

for (const dialect of dialects()) {
  describe(`[${dialect.name}] declared validation on every route`, () => {
    let app: TestApp;
    let token: string;
    let operations: RouteOperation[];
    const tokenWithout = new Map<string, string>();

    before(async () => {
      app = await startTestApp(dialect);
      const org = await app.createOrg();
      token = await org.token({ sub: 'validator', scope: allScopes.join(' ') });
      operations = await routeTable(app);
      for (const scope of allScopes) {
        const others = allScopes.filter((s) => s !== scope && s !== 'okr:admin');
        tokenWithout.set(scope, await org.token({ sub: 'validator', scope: others.join(' ') }));
      }
    });
    after(() => app.close());

    const send = (op: RouteOperation, path: string, options: Parameters<TestApp['request']>[2]) =>
      app.request(op.method.toUpperCase(), path, { token, ...options });

    it('when a path parameter is malformed, then 400 names path.<param> on every route that has one', async () => {
      let checked = 0;
      for (const op of operations) {
        for (const param of op.parameters.filter((p) => p.in === 'path')) {
          // An id that is not one; a key or external id longer than its schema allows.
          const bad = param.schema.format === 'uuid' ? 'not-an-id' : badText(param.schema);
          const path = pathOf(op, { [param.name]: bad });
          const answer = await send(op, path, { headers: requiredHeaders(op), body: bodyOf(op) });
          assertInvalid(answer, 'path', `path.${param.name}`, `${op.method} ${path}`);
          checked += 1;
        }
      }
      assert.ok(checked >= 8, `only ${checked} path parameters walked`);
    });

    it('when a query parameter is out of its schema, then 400 names query.<param>, one parameter at a time', async () => {
      let checked = 0;
      for (const op of operations) {
        for (const param of op.parameters.filter((p) => p.in === 'query')) {
          const path = `${pathOf(op)}?${param.name}=${badText(param.schema)}`;
          const answer = await send(op, path, {});
          assertInvalid(answer, 'query', `query.${param.name}`, `${op.method} ${path}`);
          checked += 1;
        }
        if (op.parameters.some((p) => p.in === 'query')) {
          const path = `${pathOf(op)}?undeclared=1`;
          assertInvalid(await send(op, path, {}), 'query', 'query', `${op.method} ${path}`);
        }
      }
      assert.ok(checked >= 10, `only ${checked} query parameters walked`);
    });

    it('when a declared header is malformed, then 400 names it; when a required one is missing, then 428', async () => {
      let checked = 0;
      for (const op of operations) {
        for (const header of op.parameters.filter((p) => p.in === 'header')) {
          const label = `${op.method} ${op.path} ${header.name}`;
          const where = `header ${header.name}`;
          const headers = { ...requiredHeaders(op), [header.name]: badText(header.schema) };
          const answer = await send(op, pathOf(op), { headers, body: bodyOf(op) });
          assertInvalid(answer, where, where, label);
          if (header.required) {
            const without = requiredHeaders(op);
            delete without[header.name];
            const missing = await send(op, pathOf(op), { headers: without, body: bodyOf(op) });
            assert.equal(missing.status, 428, `${label} missing → ${missing.text}`);
            assert.equal(missing.body.error.code, 'precondition_required', label);
            assert.equal(missing.body.error.requestId, missing.headers.get('x-request-id'));
          }
          checked += 1;
        }
      }
      assert.ok(checked >= 5, `only ${checked} headers walked`);
    });

    it('when a body property has the wrong type or the body is not an object, then 400 names body.<property>', async () => {
      let checked = 0;
      for (const op of operations.filter((o) => o.body)) {
        const headers = requiredHeaders(op);
        const properties = Object.keys(op.body?.properties ?? {});
        assert.ok(properties.length > 0, `${op.method} ${op.path} declares a body without fields`);
        for (const property of properties) {
          // No declared property takes an object, so {} is the wrong type for each of them.
          const answer = await send(op, pathOf(op), { headers, body: { [property]: {} } });
          assertInvalid(answer, 'body', `body.${property}`, `${op.method} ${op.path} ${property}`);
          checked += 1;
        }
        const list = await send(op, pathOf(op), { headers, body: ['not', 'an', 'object'] });
        assertInvalid(list, 'body', 'body', `${op.method} ${op.path} array body`);
      }
      assert.ok(checked >= 20, `only ${checked} body properties walked`);
    });

    it('when a caller lacks the scope, then 403 comes before any validation', async () => {
      for (const op of operations.filter((o) => o.scope)) {
        const answer = await app.request(op.method.toUpperCase(), pathOf(op, { id: 'bad' }), {
          token: tokenWithout.get(op.scope as string),
          body: bodyOf(op),
        });
        assert.equal(answer.status, 403, `${op.method} ${op.path} → ${answer.text}`);
        assert.equal(answer.body.error.code, 'insufficient_scope');
      }
    });

    it('when the document is read, then every route that declares input documents the 400, and every required header the 428', () => {
      for (const op of operations) {
        const label = `${op.method} ${op.path}`;
        if (op.parameters.length > 0 || op.body) assert.ok(op.responses.includes('400'), label);
        if (op.parameters.some((p) => p.in === 'header' && p.required)) {
          assert.ok(op.responses.includes('428'), label);
        }
      }
    });
  });
}
