/**
 * The page's live stream as the client runs it: one `GET /events` per client, read with fetch
 * streaming, resumed with `Last-Event-ID`, renewed on `token-expired`, quiet about failures.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { Change, LiveEventType } from '@okr-embed/contract';
import { eventStreams, fakeFetch, json, sse, testToken } from '../fixtures/fake-fetch.js';
import { goal } from '../fixtures/goals.js';
import { OkrClient } from './client.js';
import type { LiveSubscriber } from './event-stream.js';

const change = (id: string, progress = 0.5): Change => ({
  goals: [],
  progress: [{ id, progress, status: 'on_track', updatedAt: '2027-02-11T09:00:00Z' }],
  keyResults: [],
});

/** A subscriber that records what it heard. */
function recorder(): LiveSubscriber & { heard: [LiveEventType, Change][]; resets: number } {
  const heard: [LiveEventType, Change][] = [];
  const self = {
    heard,
    resets: 0,
    change: (c: Change, type: LiveEventType) => void heard.push([type, c]),
    reset: () => void (self.resets += 1),
  };
  return self;
}

/** A client on a fake BFF whose `/events` the test writes; each token is distinct. */
function setUp(answer?: Parameters<typeof eventStreams>[0]) {
  const live = eventStreams(answer);
  const bff = fakeFetch({
    '/events': live.route,
    '/goals/g-1': () => json(goal(), 200, { ETag: 'W/"a"' }),
  });
  const tokens: string[] = [];
  const client = new OkrClient({
    baseUrl: 'https://bff.test',
    fetch: bff.fetch,
    retryMs: 20,
    tokenProvider: async () => {
      const token = testToken(3600, `u-${tokens.length + 1}`);
      tokens.push(token);
      return token;
    },
  });
  return { live, bff, client, tokens };
}

describe('the live event stream', () => {
  it('opens one stream for many listeners, with the bearer token and never a token in the URL', async () => {
    const { live, bff, client, tokens } = setUp();
    const listeners = [recorder(), recorder(), recorder()];
    const stops = listeners.map((listener) => client.listen(listener));
    const stream = await live.opened(0);
    expect(bff.streamRequests).to.have.length(1);
    expect(stream.request.url).to.equal('https://bff.test/api/v1/events');
    expect(stream.request.headers.get('Authorization')).to.equal(`Bearer ${tokens[0]}`);
    expect(stream.request.headers.get('Accept')).to.equal('text/event-stream');
    expect(stream.request.headers.get('Last-Event-ID')).to.equal(null);
    stream.write(sse({ id: '1', event: 'check-in.created', data: change('g-1') }));
    await waitUntil(() => listeners.every((listener) => listener.heard.length === 1));
    expect(listeners[0]!.heard[0]).to.deep.equal(['check-in.created', change('g-1')]);
    stops.forEach((stop) => stop());
  });

  it('parses comments, multi-line data, CRLF and events split across chunks; skips unknown types and repeated ids', async () => {
    const { live, client } = setUp();
    const listener = recorder();
    const stop = client.listen(listener);
    const stream = await live.opened(0);
    const data = JSON.stringify(change('g-2', 0.7), null, 2).split('\n');
    stream.write(': heartbeat\n\n');
    stream.write(
      `id: 7\r\nevent: goal.updated\r\n${data.map((line) => `data: ${line}`).join('\r\n')}`,
    );
    stream.write('\r\n\r\n');
    stream.write(sse({ id: '8', event: 'something.new', data: { anything: true } }));
    // The same event again (a replay overlapping what was seen) and one split mid-line.
    stream.write(sse({ id: '7', event: 'goal.updated', data: change('g-2', 0.7) }));
    const split = sse({ id: '9', event: 'goal.deleted', data: change('g-3') });
    stream.write(split.slice(0, 12));
    stream.write(split.slice(12));
    await waitUntil(() => listener.heard.length === 2);
    expect(listener.heard).to.deep.equal([
      ['goal.updated', change('g-2', 0.7)],
      ['goal.deleted', change('g-3')],
    ]);
    stop();
  });

  it('closes when the last listener leaves, and resumes from the last id when one comes back', async () => {
    const { live, client } = setUp();
    const first = client.listen(recorder());
    const second = client.listen(recorder());
    const stream = await live.opened(0);
    stream.write(sse({ id: '41', event: 'goal.updated', data: change('g-1') }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    first();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stream.aborted).to.equal(false);
    second();
    await waitUntil(() => stream.aborted, 'the stream is closed with its last listener');
    const again = client.listen(recorder());
    const next = await live.opened(1);
    expect(next.request.headers.get('Last-Event-ID')).to.equal('41');
    again();
  });

  it('reconnects after a drop, with backoff, sending Last-Event-ID', async () => {
    const { live, client } = setUp();
    const listener = recorder();
    const stop = client.listen(listener);
    const stream = await live.opened(0);
    stream.write(sse({ id: '5', event: 'goal.updated', data: change('g-1') }));
    await waitUntil(() => listener.heard.length === 1);
    stream.end();
    const next = await live.opened(1);
    expect(next.request.headers.get('Last-Event-ID')).to.equal('5');
    next.write(sse({ id: '6', event: 'goal.updated', data: change('g-1', 0.9) }));
    await waitUntil(() => listener.heard.length === 2);
    stop();
  });

  it('on token-expired reconnects at once with a fresh token', async () => {
    const { live, client, tokens } = setUp();
    const stop = client.listen(recorder());
    const stream = await live.opened(0);
    stream.write(sse({ id: '3', event: 'goal.updated', data: change('g-1') }));
    stream.write(sse({ event: 'token-expired', data: {} }));
    const next = await live.opened(1);
    expect(tokens).to.have.length(2);
    expect(next.request.headers.get('Authorization')).to.equal(`Bearer ${tokens[1]}`);
    expect(next.request.headers.get('Last-Event-ID')).to.equal('3');
    stop();
  });

  it('on 401 gets a fresh token and tries again', async () => {
    let refused = 0;
    const { live, client, tokens } = setUp(() =>
      refused++ === 0 ? new Response(null, { status: 401 }) : undefined,
    );
    const stop = client.listen(recorder());
    const stream = await live.opened(0);
    expect(tokens).to.have.length(2);
    expect(stream.request.headers.get('Authorization')).to.equal(`Bearer ${tokens[1]}`);
    stop();
  });

  it('on 429 waits for Retry-After before trying again', async () => {
    let refusedAt = 0;
    const { live, client } = setUp(() => {
      if (refusedAt) return undefined;
      refusedAt = Date.now();
      return new Response(null, { status: 429, headers: { 'Retry-After': '1' } });
    });
    const stop = client.listen(recorder());
    await live.opened(0);
    // retryMs is 20 ms; only Retry-After explains a wait of about a second.
    expect(Date.now() - refusedAt).to.be.at.least(900);
    stop();
  });

  it('on reset tells every listener to reload', async () => {
    const { live, client } = setUp();
    const listeners = [recorder(), recorder()];
    const stops = listeners.map((listener) => client.listen(listener));
    const stream = await live.opened(0);
    stream.write(sse({ event: 'reset', data: {} }));
    await waitUntil(() => listeners.every((listener) => listener.resets === 1));
    expect(listeners.map((listener) => listener.heard.length)).to.deep.equal([0, 0]);
    stops.forEach((stop) => stop());
  });

  it('forgets cached views after a change, so the next GET is a full read', async () => {
    const { live, bff, client } = setUp();
    await client.goal('g-1');
    await client.goal('g-1');
    expect(bff.requests[1]!.headers.get('If-None-Match')).to.equal('W/"a"');
    const listener = recorder();
    const stop = client.listen(listener);
    const stream = await live.opened(0);
    stream.write(sse({ id: '1', event: 'check-in.created', data: change('g-1') }));
    await waitUntil(() => listener.heard.length === 1);
    await client.goal('g-1');
    expect(bff.requests[2]!.headers.get('If-None-Match')).to.equal(null);
    stop();
  });
});
