import { expect } from '@open-wc/testing';
import { OkrClient } from '../client/client.js';
import { OkrApiError } from '../client/errors.js';
import { apiError, fakeFetch, json, testToken } from '../fixtures/fake-fetch.js';
import { goal, keyResultsByKind } from '../fixtures/goals.js';
import { editorApi } from './editor-api.js';
import { selfAndDescendants } from './goal-conflict.js';
import { draftOf, fieldErrorsOf, goalChanges, keyResultPlan, orderChange } from './goal-draft.js';

function client(routes: Parameters<typeof fakeFetch>[0], tokens = [testToken()]) {
  const bff = fakeFetch(routes);
  let next = 0;
  const okr = new OkrClient({
    baseUrl: 'https://bff.test/',
    tokenProvider: async () => tokens[Math.min(next++, tokens.length - 1)]!,
    fetch: bff.fetch,
  });
  return { api: editorApi(okr), bff };
}

describe('the editor requests', () => {
  it('send JSON with the version as If-Match', async () => {
    const { api, bff } = client({ 'PATCH /goals/g-1': () => json(goal({ version: 8 })) });
    const updated = await api.updateGoal('g-1', 7, { title: 'New' });
    expect(updated.version).to.equal(8);
    const [request] = bff.requests;
    expect(request!.url).to.equal('https://bff.test/api/v1/goals/g-1');
    expect(request!.headers.get('If-Match')).to.equal('"7"');
    expect(request!.headers.get('Content-Type')).to.equal('application/json');
    expect(JSON.parse(request!.body!)).to.deep.equal({ title: 'New' });
  });

  it('answer a 204 delete with undefined and send no body', async () => {
    const { api, bff } = client({
      'DELETE /key-results/kr-1': () => new Response(null, { status: 204 }),
    });
    expect(await api.deleteKeyResult('kr-1', 3)).to.equal(undefined);
    expect(bff.requests[0]!.body).to.equal(null);
    expect(bff.requests[0]!.headers.get('If-Match')).to.equal('"3"');
  });

  it('resend the same body once with a renewed token after a 401', async () => {
    let calls = 0;
    const { api, bff } = client(
      {
        'POST /goals/g-1/key-results': () =>
          calls++ === 0
            ? apiError(401, 'invalid_token', 'Expired')
            : json(keyResultsByKind.increase, 201),
      },
      [testToken(3600, 'first'), testToken(3600, 'second')],
    );
    await api.createKeyResult('g-1', { title: 'Raise revenue', kind: 'increase', target: 10 });
    expect(bff.requests).to.have.length(2);
    expect(bff.requests[1]!.body).to.equal(bff.requests[0]!.body);
    expect(bff.requests[1]!.headers.get('Authorization')).not.to.equal(
      bff.requests[0]!.headers.get('Authorization'),
    );
  });

  it('report the BFF error with its status, code and details', async () => {
    const { api } = client({
      'PUT /goals/g-1/key-results/order': () => apiError(409, 'version_conflict', 'Stale'),
    });
    const error = await api.orderKeyResults('g-1', 7, ['kr-1']).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(OkrApiError);
    expect((error as OkrApiError).status).to.equal(409);
    expect((error as OkrApiError).code).to.equal('version_conflict');
  });

  it('search the directory with q and a small limit', async () => {
    const { api, bff } = client({ '/users': () => json({ items: [], nextCursor: null }) });
    await api.users('gr');
    expect(bff.requests[0]!.url).to.equal('https://bff.test/api/v1/users?limit=10&q=gr');
  });
});

describe('the editor draft', () => {
  it('names only the changed goal fields', () => {
    const stored = goal();
    const draft = {
      ...draftOf(stored),
      title: ` ${stored.title} `,
      description: '',
      parent: { id: 'g-9', label: 'P' },
    };
    expect(goalChanges(stored, draft)).to.deep.equal({ description: null, parentId: 'g-9' });
  });

  it('plans removed, changed and added key results, and an order only when it changed', () => {
    const stored = goal();
    const draft = draftOf(stored);
    expect(keyResultPlan(stored, draft)).to.deep.equal({ removed: [], changed: [], added: [] });
    expect(
      orderChange(
        stored,
        draft.keyResults.map((row) => row.id!),
      ),
    ).to.equal(undefined);
    const [first, second] = draft.keyResults;
    const plan = keyResultPlan(stored, { ...draft, keyResults: [{ ...second!, weight: '3' }] });
    expect(plan.removed.map((kr) => kr.id)).to.deep.equal([first!.id]);
    expect(plan.changed).to.deep.equal([{ kr: stored.keyResults[1], changes: { weight: 3 } }]);
    expect(orderChange(stored, [second!.id!, first!.id!])).to.deep.equal([second!.id, first!.id]);
  });

  it('reads 400 details as field errors, goal ids as their pickers', () => {
    const details = [
      { field: 'body.title', message: 'Too long' },
      { field: 'body.ownerId', message: 'Unknown user' },
      { field: 'body.keyResults.2.target', message: 'Too big' },
    ];
    expect(fieldErrorsOf(details)).to.deep.equal({
      title: 'Too long',
      owner: 'Unknown user',
      'keyResults.2.target': 'Too big',
    });
    expect(
      fieldErrorsOf([{ field: 'body.target', message: 'Too big' }], 'keyResults.1'),
    ).to.deep.equal({
      'keyResults.1.target': 'Too big',
    });
    expect(fieldErrorsOf('not a list')).to.deep.equal({});
  });

  it('excludes a goal and every goal aligned under it, at any depth', () => {
    const nodes = [
      { id: 'c', parentId: 'b' },
      { id: 'b', parentId: 'a' },
      { id: 'a', parentId: null },
      { id: 'x', parentId: null },
    ];
    expect([...selfAndDescendants('a', nodes)].sort()).to.deep.equal(['a', 'b', 'c']);
  });
});
