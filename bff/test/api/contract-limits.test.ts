/**
 * The limits live in @okr-embed/contract alone: the BFF's 400, the OpenAPI document and the
 * widgets (check-in.test.ts) all read them from there. These tests pin the BFF side at the exact
 * boundary, so changing a number in `contract/src/limits.ts` moves every one of them with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIMITS } from '@okr-embed/contract';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] limits from the contract`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is read freely
    let openApi: any;

    before(async () => {
      app = await startTestApp(dialect);
      org = await app.createOrg();
      as = await actorsOf(org);
      openApi = (await app.request('GET', '/api/v1/openapi.json')).body;
    });
    after(() => app.close());

    const bodySchema = (path: string, method: string) =>
      openApi.paths[path][method].requestBody.content['application/json'].schema;

    it('when a check-in comment is at the limit it is stored, one character more is a 400', async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'Limits',
        level: 'team',
        timeframeId: org.timeframeId,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Calls',
        kind: 'increase',
        target: 10,
      });
      const path = `/api/v1/key-results/${kr.id}/check-ins`;
      const atLimit = await app.request('POST', path, {
        token: as.writer,
        body: { value: 1, comment: 'x'.repeat(LIMITS.checkInComment) },
      });
      assert.equal(atLimit.status, 201, atLimit.text);
      assert.equal(atLimit.body.checkIn.comment.length, LIMITS.checkInComment);

      const over = await app.request('POST', path, {
        token: as.writer,
        body: { value: 2, comment: 'x'.repeat(LIMITS.checkInComment + 1) },
      });
      assert.equal(over.status, 400, over.text);
      assert.deepEqual(
        over.body.error.details.map((d: { field: string }) => d.field),
        ['body.comment'],
      );
      assert.equal(
        bodySchema('/key-results/{id}/check-ins', 'post').properties.comment.maxLength,
        LIMITS.checkInComment,
      );
    });

    it('when a goal title is at the limit it is stored, one character more is a 400', async () => {
      const body = { level: 'team', timeframeId: org.timeframeId };
      const atLimit = await app.request('POST', '/api/v1/goals', {
        token: as.writer,
        body: { ...body, title: 'g'.repeat(LIMITS.goalTitle) },
      });
      assert.equal(atLimit.status, 201, atLimit.text);
      const over = await app.request('POST', '/api/v1/goals', {
        token: as.writer,
        body: { ...body, title: 'g'.repeat(LIMITS.goalTitle + 1) },
      });
      assert.equal(over.status, 400, over.text);
      assert.equal(over.body.error.details[0].field, 'body.title');
      assert.equal(bodySchema('/goals', 'post').properties.title.maxLength, LIMITS.goalTitle);
    });

    it('when the alignment depth is past the limit it is a 400, and the document says so', async () => {
      const at = await app.request('GET', `/api/v1/alignment?depth=${LIMITS.alignmentDepthMax}`, {
        token: as.reader,
      });
      assert.equal(at.status, 200, at.text);
      const over = await app.request(
        'GET',
        `/api/v1/alignment?depth=${LIMITS.alignmentDepthMax + 1}`,
        { token: as.reader },
      );
      assert.equal(over.status, 400, over.text);
      assert.equal(over.body.error.details[0].field, 'query.depth');
      const depth = openApi.paths['/alignment'].get.parameters.find(
        (p: { name: string }) => p.name === 'depth',
      );
      assert.equal(depth.schema.maximum, LIMITS.alignmentDepthMax);
      assert.equal(depth.schema.default, LIMITS.alignmentDepthDefault);
    });
  });
}
