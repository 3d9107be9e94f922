import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ApiRouter, type Operation } from '../../src/lib/openapi.js';

const declared = (overrides: Partial<Operation>): Operation => ({
  operationId: 'getThing',
  method: 'get',
  path: '/things/:id',
  summary: 'A thing',
  params: z.object({ id: z.string() }),
  responses: { 200: 'The thing', 404: 'No such thing' },
  ...overrides,
});

const ignore = () => {};

describe('ApiRouter wiring', () => {
  it('when two routes share an operationId, then the second is refused when it is added', () => {
    const api = new ApiRouter();
    api.add(declared({}), ignore);
    assert.throws(
      () => api.add(declared({ method: 'delete' }), ignore),
      /operationId "getThing" is taken by GET \/things\/:id/,
    );
    assert.equal(api.operations.length, 1);
  });

  it('when an operationId is not camelCase, then the route is refused', () => {
    for (const operationId of ['', 'GetThing', 'get-thing', 'get_thing', 'get thing']) {
      assert.throws(() => new ApiRouter().add(declared({ operationId }), ignore), /camelCase/);
    }
  });

  it('when a path parameter has no schema, or a schema names no path segment, then the route is refused', () => {
    assert.throws(
      () => new ApiRouter().add(declared({ params: undefined }), ignore),
      /path parameters \[id\] but params declares \[\]/,
    );
    assert.throws(
      () => new ApiRouter().add(declared({ path: '/things/:id/parts/:part' }), ignore),
      /path parameters \[id, part\] but params declares \[id\]/,
    );
    assert.throws(
      () => new ApiRouter().add(declared({ path: '/things' }), ignore),
      /path parameters \[\] but params declares \[id\]/,
    );
  });
});
