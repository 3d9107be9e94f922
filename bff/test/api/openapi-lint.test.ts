/**
 * The OpenAPI document as tools see it: Redocly's recommended ruleset, run in process and
 * offline, must find nothing, and every operation carries the stable operationId that client
 * generators name their functions after. The document is built from the route declarations
 * alone, so one database is enough.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { dialects, startTestApp, type TestApp } from '../support/harness.js';

describe('the OpenAPI document', () => {
  let app: TestApp;
  let document: { paths: Record<string, Record<string, { operationId?: string }>> };

  before(async () => {
    const [sqlite] = dialects();
    assert.ok(sqlite);
    app = await startTestApp(sqlite);
    const answer = await app.request('GET', '/api/v1/openapi.json');
    assert.equal(answer.status, 200);
    document = answer.body;
  });
  after(() => app.close());

  it("when Redocly's recommended rules lint it, then there is no error and no warning", async () => {
    const problems = await lintFromString({
      source: JSON.stringify(document, null, 2),
      absoluteRef: 'openapi.json',
      config: await createConfig({ extends: ['recommended'] }),
    });
    const report = problems.map(
      (problem) =>
        `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`,
    );
    assert.deepEqual(report, []);
  });

  it('when the operations are listed, then each has a camelCase operationId no other has', () => {
    const ids = Object.values(document.paths).flatMap((methods) =>
      Object.entries(methods).map(([method, op]) => ({ method, id: op.operationId })),
    );
    assert.ok(ids.length >= 14, `only ${ids.length} operations`);
    for (const { method, id } of ids) {
      assert.match(id ?? '', /^[a-z][A-Za-z0-9]*$/, `${method}: operationId ${id}`);
    }
    assert.equal(new Set(ids.map(({ id }) => id)).size, ids.length, 'operationIds are unique');
    assert.equal(document.paths['/goals']?.get?.operationId, 'listGoals');
    assert.equal(document.paths['/key-results/{id}/check-ins']?.post?.operationId, 'createCheckIn');
  });
});
