/**
 * BFF throughput and latency over loopback with real Bearer tokens, and the server's resident
 * memory before and after 100 000 requests. The server runs in its own process (bench/bff-server.ts).
 */
import autocannon, { type Result } from 'autocannon';
import type { Row } from './report.js';
import type { BenchServer } from './server-process.js';

const DURATION_S = Number(process.env.BENCH_HTTP_SECONDS ?? '4');
const CONNECTIONS = 10;
const MEMORY_REQUESTS = 100_000;

interface Endpoint {
  name: string;
  path: string;
  headers?: Record<string, string>;
  /** Which status class every answer must be in. */
  expect: '2xx' | '3xx';
}

/** SQL statements per request, from a few sequential requests (the view cache included). */
async function statementsPerRequest(server: BenchServer, endpoint: Endpoint) {
  const before = await server.statements();
  const count = 20;
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${server.baseUrl}${endpoint.path}`, {
      headers: { authorization: `Bearer ${server.token}`, ...endpoint.headers },
    });
    await response.arrayBuffer();
  }
  return ((await server.statements()) - before) / count;
}

async function load(server: BenchServer, endpoint: Endpoint, duration = DURATION_S) {
  const result: Result = await autocannon({
    url: `${server.baseUrl}${endpoint.path}`,
    connections: CONNECTIONS,
    duration,
    headers: { authorization: `Bearer ${server.token}`, ...endpoint.headers },
  });
  const answered = result[endpoint.expect];
  if (result.errors > 0 || result.timeouts > 0 || answered !== result.requests.total) {
    throw new Error(
      `${endpoint.name}: ${answered} of ${result.requests.total} answers were ${endpoint.expect} ` +
        `(2xx ${result['2xx']}, 3xx ${result['3xx']}, 4xx ${result['4xx']}, 5xx ${result['5xx']}, errors ${result.errors})`,
    );
  }
  return result;
}

export async function benchHttp(server: BenchServer): Promise<Row[]> {
  const auth = { authorization: `Bearer ${server.token}` };
  const card = await fetch(`${server.baseUrl}/api/v1/goals/${server.goalId}`, { headers: auth });
  const etag = card.headers.get('etag');
  if (card.status !== 200 || !etag)
    throw new Error(`goal card answered ${card.status} without an ETag`);
  const health: Endpoint = { name: '/healthz', path: '/healthz', expect: '2xx' };
  const endpoints: Endpoint[] = [
    { name: 'GET /goals/:id (goal card)', path: `/api/v1/goals/${server.goalId}`, expect: '2xx' },
    { name: 'GET /goals?owner=me', path: '/api/v1/goals?owner=me', expect: '2xx' },
    { name: 'GET /alignment', path: '/api/v1/alignment?timeframe=current', expect: '2xx' },
    {
      name: 'GET /goals/:id If-None-Match (304)',
      path: `/api/v1/goals/${server.goalId}`,
      headers: { 'if-none-match': etag },
      expect: '3xx',
    },
  ];

  const rssAtStart = server.rss();
  const heapTotalAtStart = (await server.memoryUsage()).heapTotal;
  const heapAtStart = await server.heapAfterGc();
  let requests = 0;
  // Warm-up: JIT, connection pool, token cache; not measured.
  for (const endpoint of [health, ...endpoints])
    requests += (await load(server, endpoint, 1)).requests.total;

  // /healthz before and after the others, so that drift in the machine's load shows in both.
  const before = await load(server, health);
  const measured: Array<[Endpoint, Result]> = [];
  // RSS after each endpoint's run shows which one the memory grows on, if it grows.
  const rssSteps: string[] = [];
  for (const endpoint of endpoints) {
    measured.push([endpoint, await load(server, endpoint)]);
    rssSteps.push(`${endpoint.name.split(' (')[0]} ${(server.rss() / 2 ** 20).toFixed(0)}`);
  }
  const sql = new Map<Endpoint, number>();
  for (const endpoint of endpoints) sql.set(endpoint, await statementsPerRequest(server, endpoint));
  const after = await load(server, health);
  requests += before.requests.total + after.requests.total;
  for (const [, result] of measured) requests += result.requests.total;
  const healthRate = (before.requests.average + after.requests.average) / 2;

  const rows: Row[] = [
    {
      section: 'BFF',
      name: '/healthz',
      value: healthRate,
      unit: 'req/s',
      note: `p50 ${before.latency.p50}/${after.latency.p50} ms, p99 ${before.latency.p99}/${after.latency.p99} ms (before/after)`,
    },
  ];
  for (const [endpoint, result] of measured) {
    const ratio = result.requests.average / healthRate;
    const isCard = endpoint.name.startsWith('GET /goals/:id (');
    rows.push({
      section: 'BFF',
      name: endpoint.name,
      value: result.requests.average,
      unit: 'req/s',
      baseline: { name: '/healthz', value: healthRate },
      ratio,
      budget: isCard ? '≥ 0.5×' : undefined,
      pass: isCard ? ratio >= 0.5 : undefined,
      note: `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${sql.get(endpoint)?.toFixed(1)} SQL/request`,
    });
  }

  const rssMidway = server.rss();
  const requestsMidway = requests;
  // Memory: top the request count up to 100 000 with the views widgets ask for most.
  const remaining = MEMORY_REQUESTS - requests;
  if (remaining > 0) {
    const topUp = await autocannon({
      url: server.baseUrl,
      connections: CONNECTIONS,
      amount: remaining,
      headers: auth,
      requests: [
        { method: 'GET', path: `/api/v1/goals/${server.goalId}` },
        { method: 'GET', path: '/api/v1/goals?owner=me' },
        {
          method: 'GET',
          path: `/api/v1/goals/${server.goalId}`,
          headers: { 'if-none-match': etag },
        },
        { method: 'GET', path: '/healthz' },
      ],
    });
    if (topUp.errors > 0 || topUp['4xx'] + topUp['5xx'] > 0) {
      throw new Error(
        `memory load: ${topUp.errors} errors, ${topUp['4xx'] + topUp['5xx']} 4xx/5xx`,
      );
    }
    requests += topUp.requests.total;
  }
  const rssAfter = server.rss();
  // V8's heap as reserved (garbage included) tells heap sizing apart from memory outside it.
  const heapTotalAfter = (await server.memoryUsage()).heapTotal;
  const heapAfter = await server.heapAfterGc();
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  const growth = rssAfter / rssAtStart;
  const steadyGrowth = rssAfter / rssMidway;
  rows.push({
    section: 'Memory',
    name: `BFF RSS after ${requests.toLocaleString('en-US')} requests`,
    value: rssAfter / 2 ** 20,
    unit: 'MB',
    baseline: { name: 'at start', value: rssAtStart / 2 ** 20 },
    ratio: growth,
    budget: '< 1.2× (growth < 20 %)',
    pass: growth < 1.2,
    note:
      `${mb(rssMidway)} after ${requestsMidway.toLocaleString('en-US')}; ` +
      `V8 heap total ${mb(heapTotalAtStart)} → ${mb(heapTotalAfter)}, ` +
      `live after GC ${mb(heapAtStart)} → ${mb(heapAfter)}; ` +
      `RSS MB after each run: ${rssSteps.join(', ')}`,
  });
  rows.push({
    section: 'Memory',
    name: `BFF RSS, steady state (after ${requestsMidway.toLocaleString('en-US')} → ${requests.toLocaleString('en-US')} requests)`,
    value: rssAfter / 2 ** 20,
    unit: 'MB',
    baseline: { name: 'after the throughput runs', value: rssMidway / 2 ** 20 },
    ratio: steadyGrowth,
  });
  return rows;
}
