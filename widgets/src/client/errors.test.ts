import { expect } from '@open-wc/testing';
import { OkrApiError, toApiError } from './errors.js';

describe('toApiError', () => {
  it('passes an OkrApiError through as the same object', () => {
    const original = new OkrApiError({ status: 404, code: 'not_found', message: 'gone' });
    expect(toApiError(original)).to.equal(original);
  });

  it('wraps anything else as a client error that keeps what was thrown in its message', () => {
    const wrapped = toApiError(new TypeError('x is not a function'));
    expect(wrapped).to.be.instanceOf(OkrApiError);
    expect([wrapped.status, wrapped.code, wrapped.message]).to.deep.equal([
      0,
      'client',
      'TypeError: x is not a function',
    ]);
    expect(toApiError('plain text').message).to.equal('plain text');
  });
});
