import { expect } from '@open-wc/testing';
import { apiError, fakeFetch, json, pending, testToken } from '../fixtures/fake-fetch.js';
import { goal } from '../fixtures/goals.js';
import { OkrClient } from './client.js';
import { OkrApiError } from './errors.js';

function tokenSource(tokens: string[]) {
  const calls = { count: 0 };
  const provider = async () => {
    const token = tokens[Math.min(calls.count, tokens.length - 1)]!;
    calls.count += 1;
    return token;
  };
  return { provider, calls };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('OkrClient', () => {
  it('sends the bearer token to /api/v1 and reuses it while it is fresh', async () => {
    const token = testToken(3600);
    const tokens = tokenSource([token]);
    const bff = fakeFetch({ '/goals/g-1': () => json(goal()) });
    const client = new OkrClient({
      baseUrl: 'https://bff.test/',
      tokenProvider: tokens.provider,
      fetch: bff.fetch,
    });
    await client.goal('g-1');
    await client.goal('g-1');
    expect(tokens.calls.count).to.equal(1);
    expect(bff.requests[0]!.url).to.equal('https://bff.test/api/v1/goals/g-1');
    expect(bff.requests[1]!.headers.get('Authorization')).to.equal(`Bearer ${token}`);
  });

  it('asks for a new token shortly before exp', async () => {
    const tokens = tokenSource([testToken(10), testToken(3600, 'second')]);
    const bff = fakeFetch({ '/me': () => json({}) });
    const client = new OkrClient({ baseUrl: '', tokenProvider: tokens.provider, fetch: bff.fetch });
    await client.me();
    await client.me();
    expect(tokens.calls.count).to.equal(2);
  });

  /** A client on a page whose clock is `skewMs` off the host's, which signs 5-minute tokens. */
  function skewedClient(skewMs: number) {
    const clock = { time: Date.now() + skewMs };
    const second = testToken(300, 'second');
    const tokens = tokenSource([testToken(300, 'first'), second]);
    const bff = fakeFetch({ '/me': () => json({}) });
    const client = new OkrClient({
      baseUrl: '',
      tokenProvider: tokens.provider,
      fetch: bff.fetch,
      now: () => clock.time,
    });
    return { client, clock, tokens, bff, second };
  }

  it('counts the token lifetime on its own clock when the page clock is hours ahead of the host', async () => {
    // The laptop's clock is two hours fast: by it, the host's fresh 5-minute token expired long ago.
    const { client, clock, tokens } = skewedClient(2 * 3600_000);
    await client.me();
    clock.time += 200_000;
    await client.me();
    expect(tokens.calls.count, 'reused within its lifetime').to.equal(1);
    clock.time += 80_000;
    await client.me();
    expect(tokens.calls.count, 'replaced 30 s before its lifetime ends').to.equal(2);
  });

  it('replaces the token when its lifetime ends even if the page clock is behind the host', async () => {
    const { client, clock, tokens, bff, second } = skewedClient(-2 * 3600_000);
    await client.me();
    clock.time += 280_000;
    await client.me();
    expect(tokens.calls.count).to.equal(2);
    expect(bff.requests[1]!.headers.get('Authorization')).to.equal(`Bearer ${second}`);
  });

  it('on 401 refreshes once for all concurrent requests and retries each', async () => {
    const stale = testToken(3600, 'stale');
    const fresh = testToken(3600, 'fresh');
    const tokens = tokenSource([stale, fresh]);
    const bff = fakeFetch({
      '/goals/a': (r) =>
        r.headers.get('Authorization') === `Bearer ${fresh}`
          ? json({ id: 'a' })
          : apiError(401, 'unauthorized', 'expired'),
      '/goals/b': (r) =>
        r.headers.get('Authorization') === `Bearer ${fresh}`
          ? json({ id: 'b' })
          : apiError(401, 'unauthorized', 'expired'),
    });
    const client = new OkrClient({ baseUrl: '', tokenProvider: tokens.provider, fetch: bff.fetch });
    const [a, b] = await Promise.all([client.goal('a'), client.goal('b')]);
    expect(a.id).to.equal('a');
    expect(b.id).to.equal('b');
    expect(tokens.calls.count).to.equal(2);
    expect(bff.requests).to.have.length(4);
  });

  it('gives up after one refresh when the new token is refused too', async () => {
    const tokens = tokenSource([
      testToken(3600, 'one'),
      testToken(3600, 'two'),
      testToken(3600, 'three'),
    ]);
    const bff = fakeFetch({ '/me': () => apiError(401, 'unauthorized', 'bad key') });
    const client = new OkrClient({ baseUrl: '', tokenProvider: tokens.provider, fetch: bff.fetch });
    const error = await rejection(client.me());
    expect(error).to.be.instanceOf(OkrApiError);
    expect((error as OkrApiError).status).to.equal(401);
    expect(tokens.calls.count).to.equal(2);
    expect(bff.requests).to.have.length(2);
  });

  it('makes one request for concurrent GETs of the same resource', async () => {
    const bff = fakeFetch({ '/goals/g-1': () => json(goal()) });
    const client = new OkrClient({
      baseUrl: '',
      tokenProvider: async () => testToken(),
      fetch: bff.fetch,
    });
    const results = await Promise.all(Array.from({ length: 10 }, () => client.goal('g-1')));
    expect(results.every((g) => g.id === 'g-1')).to.equal(true);
    expect(bff.requests).to.have.length(1);
  });

  it('revalidates with the ETag and answers a 304 from its cache', async () => {
    const bff = fakeFetch({
      '/goals/g-1': (r) =>
        r.headers.get('If-None-Match') === '"v7"'
          ? new Response(null, { status: 304 })
          : json(goal(), 200, { ETag: '"v7"' }),
    });
    const client = new OkrClient({
      baseUrl: '',
      tokenProvider: async () => testToken(),
      fetch: bff.fetch,
    });
    const first = await client.goal('g-1');
    const second = await client.goal('g-1');
    expect(second).to.deep.equal(first);
    expect(bff.requests[0]!.headers.has('If-None-Match')).to.equal(false);
    expect(bff.requests[1]!.headers.get('If-None-Match')).to.equal('"v7"');
  });

  it('aborts the shared request only when every caller has aborted', async () => {
    const bff = fakeFetch({ '/goals/g-1': pending });
    const client = new OkrClient({
      baseUrl: '',
      tokenProvider: async () => testToken(),
      fetch: bff.fetch,
    });
    const first = new AbortController();
    const second = new AbortController();
    const one = client.goal('g-1', { signal: first.signal });
    const two = client.goal('g-1', { signal: second.signal });
    await new Promise((resolve) => setTimeout(resolve));
    first.abort();
    expect(((await rejection(one)) as DOMException).name).to.equal('AbortError');
    expect(bff.requests[0]!.signal!.aborted).to.equal(false);
    second.abort();
    expect(((await rejection(two)) as DOMException).name).to.equal('AbortError');
    expect(bff.requests[0]!.signal!.aborted).to.equal(true);
  });

  it('maps the BFF error shape onto OkrApiError', async () => {
    const bff = fakeFetch({
      '/goals/gone': () =>
        json(
          {
            error: {
              code: 'not_found',
              message: 'No such goal',
              details: { id: 'gone' },
              requestId: 'req-9',
            },
          },
          404,
        ),
      '/goals/html': () =>
        new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }),
    });
    const client = new OkrClient({
      baseUrl: '',
      tokenProvider: async () => testToken(),
      fetch: bff.fetch,
    });
    const notFound = (await rejection(client.goal('gone'))) as OkrApiError;
    expect([notFound.status, notFound.code, notFound.message, notFound.requestId]).to.deep.equal([
      404,
      'not_found',
      'No such goal',
      'req-9',
    ]);
    expect(notFound.details).to.deep.equal({ id: 'gone' });
    const gateway = (await rejection(client.goal('html'))) as OkrApiError;
    expect([gateway.status, gateway.code]).to.deep.equal([502, 'http_502']);
  });

  it('on 429 surfaces Retry-After and sends no GET until it has passed', async () => {
    let time = Date.parse('2027-02-10T12:00:00Z');
    const bff = fakeFetch({
      '/goals/g-1': () =>
        json({ error: { code: 'rate_limited', message: 'Slow down', requestId: 'r' } }, 429, {
          'Retry-After': '30',
        }),
      '/goals/g-2': () => json(goal({ id: 'g-2' })),
      '/me': () =>
        json({ error: { code: 'rate_limited', message: 'Slow down', requestId: 'r' } }, 429, {
          'Retry-After': new Date(time + 90_000).toUTCString(),
        }),
    });
    const client = new OkrClient({
      baseUrl: '',
      tokenProvider: async () => testToken(),
      fetch: bff.fetch,
      now: () => time,
    });
    const limited = (await rejection(client.goal('g-1'))) as OkrApiError;
    expect([limited.status, limited.code, limited.retryAfter]).to.deep.equal([
      429,
      'rate_limited',
      30,
    ]);
    expect(bff.requests).to.have.length(1);
    time += 10_000;
    const again = (await rejection(client.goal('g-2'))) as OkrApiError;
    expect([again.status, again.retryAfter]).to.deep.equal([429, 20]);
    expect(bff.requests).to.have.length(1);
    time += 20_000;
    expect((await client.goal('g-2')).id).to.equal('g-2');
    expect(bff.requests).to.have.length(2);
    const dated = (await rejection(client.me())) as OkrApiError;
    expect(dated.retryAfter).to.equal(90);
    expect(bff.requests).to.have.length(3);
  });

  it('maps a network failure and a failing token provider', async () => {
    const offline = new OkrClient({
      baseUrl: '',
      tokenProvider: async () => testToken(),
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    expect(((await rejection(offline.me())) as OkrApiError).code).to.equal('network');
    const noToken = new OkrClient({
      baseUrl: '',
      tokenProvider: () => Promise.reject(new Error('logged out')),
      fetch: fakeFetch({}).fetch,
    });
    const error = (await rejection(noToken.me())) as OkrApiError;
    expect([error.code, error.message]).to.deep.equal(['token_unavailable', 'logged out']);
  });

  it('posts a check-in with its idempotency key and builds query strings', async () => {
    const bff = fakeFetch({
      'POST /key-results/kr-1/check-ins': () => json({ checkIn: {}, keyResult: {}, goal: {} }, 201),
      '/goals': () => json({ items: [], nextCursor: null }),
    });
    const client = new OkrClient({
      baseUrl: 'https://bff.test',
      tokenProvider: async () => testToken(),
      fetch: bff.fetch,
    });
    await client.postCheckIn('kr-1', { value: 5, comment: 'ok' }, 'key-1');
    await client.goals({ owner: 'me', q: 'a b', status: undefined });
    expect(bff.requests[0]!.headers.get('Idempotency-Key')).to.equal('key-1');
    expect(JSON.parse(bff.requests[0]!.body!)).to.deep.equal({ value: 5, comment: 'ok' });
    expect(bff.requests[1]!.url).to.equal('https://bff.test/api/v1/goals?owner=me&q=a+b');
  });
});
