import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KEY_RESULT_KINDS } from '@okr-embed/contract';
import { seedDemo } from '../../src/components/demo/demo.seed.js';
import { createOrgsRepository } from '../../src/components/orgs/orgs.repository.js';
import { createOrgsService } from '../../src/components/orgs/orgs.service.js';
import { seedPartnerOrg, startDemoHosts, type DemoHosts } from '../../src/demo-hosts/demo-hosts.js';
import { dialects, startTestApp, type TestApp } from '../support/harness.js';
import {
  alignmentView,
  checkInResultView,
  checkInView,
  goalSummaryView,
  goalView,
  meView,
  pageView,
  timeframesView,
} from '../../src/lib/views.schema.js';
import type { z } from 'zod';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] demo mode and the demo seed`, () => {
    let app: TestApp;
    let hosts: DemoHosts;
    let token: string;

    const hostToken = async (origin: string) => {
      const answer = await fetch(`${origin}/token`, { method: 'POST' });
      assert.equal(answer.status, 200);
      return ((await answer.json()) as { token: string }).token;
    };

    before(async () => {
      app = await startTestApp(dialect);
      const orgs = createOrgsService(createOrgsRepository(app.db), app.config.masterKey);
      await seedDemo(app.db, orgs, { slug: 'demo', goals: 40 });
      await seedPartnerOrg(app.db, orgs);
      hosts = await startDemoHosts({
        db: app.db,
        orgsService: orgs,
        intranetOrg: 'demo',
        bffOrigin: app.baseUrl,
        intranetPort: 0,
        partnerPort: 0,
      });
      token = await hostToken(hosts.intranet.origin);
    });
    after(async () => {
      await hosts?.close();
      await app.close();
    });

    it('when a demo host serves its page, then it embeds the widgets from the BFF under a CSP without unsafe-inline and no inline code', async () => {
      for (const host of [hosts.intranet, hosts.partner]) {
        const page = await fetch(`${host.origin}/`);
        assert.equal(page.status, 200);
        const html = await page.text();
        const csp = page.headers.get('content-security-policy') ?? '';
        assert.match(csp, new RegExp(`script-src 'self' ${app.baseUrl}`));
        assert.match(csp, new RegExp(`connect-src 'self' ${app.baseUrl}`));
        assert.doesNotMatch(csp, /unsafe-inline/);
        assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script has a src');
        assert.doesNotMatch(html, /<style|\sstyle=/, 'no inline style');
        assert.ok(html.includes(`<meta name="okr-bff" content="${app.baseUrl}" />`));
        const [, goalId] = /<okr-goal-card goal-id="([0-9a-f-]{36})">/.exec(html) ?? [];
        assert.ok(goalId, 'a featured goal card');
        const goal = await app.request('GET', `/api/v1/goals/${goalId}`, {
          token: await hostToken(host.origin),
        });
        assert.equal(goal.status, 200, goal.text);
      }
      assert.equal((await fetch(`${hosts.intranet.origin}/../package.json`)).status, 404);
      assert.equal((await fetch(`${hosts.intranet.origin}/nope.js`)).status, 404);
    });

    it("when a page's origin asks the BFF, then only its own org's tokens are served there", async () => {
      const partnerToken = await hostToken(hosts.partner.origin);
      const fromIntranet = { origin: hosts.intranet.origin };
      const own = await app.request('GET', '/api/v1/me', { token, headers: fromIntranet });
      assert.equal(own.status, 200);
      assert.equal(own.headers.get('access-control-allow-origin'), hosts.intranet.origin);
      const other = await app.request('GET', '/api/v1/me', {
        token: partnerToken,
        headers: fromIntranet,
      });
      assert.equal(other.status, 403);
      assert.equal(other.body.error.code, 'origin_not_allowed');
    });

    it('when the demo token is used, then it is a short-lived token for the demo user of the demo org', async () => {
      const me = await app.request('GET', '/api/v1/me', { token });
      assert.equal(me.body.org.slug, 'demo');
      assert.equal(me.body.user.externalId, 'demo-kim');
      const [, payload] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
      assert.ok(claims.exp - claims.iat <= 300);
    });

    it('when the demo org is seeded, then it has four goal levels, two timeframes, every kind and check-in history', async () => {
      const timeframes = await app.request('GET', '/api/v1/timeframes', { token });
      assert.equal(timeframes.body.items.length, 2);
      const tree = await app.request('GET', '/api/v1/alignment?timeframe=current&depth=50', {
        token,
      });
      const depths = new Set(tree.body.nodes.map((n: { depth: number }) => n.depth));
      assert.ok(depths.has(3), 'company → team → team → personal');
      const levels = new Set(tree.body.nodes.map((n: { level: string }) => n.level));
      assert.deepEqual([...levels].sort(), ['company', 'personal', 'team']);
      assert.ok(tree.body.nodes.length >= 40);
      const kinds = new Set<string>();
      let checkIns = 0;
      const goals = await app.request('GET', '/api/v1/goals?limit=10', { token });
      for (const summary of goals.body.items) {
        const card = (await app.request('GET', `/api/v1/goals/${summary.id}`, { token })).body;
        for (const kr of card.keyResults) {
          kinds.add(kr.kind);
          const history = await app.request('GET', `/api/v1/key-results/${kr.id}/check-ins`, {
            token,
          });
          checkIns += history.body.items.length;
        }
      }
      assert.deepEqual([...kinds].sort(), [...KEY_RESULT_KINDS].sort());
      assert.ok(checkIns >= 10);
    });

    it('when the demo user checks in on a demo key result, then its progress propagates to the company goal', async () => {
      const tree = await app.request('GET', '/api/v1/alignment?timeframe=current&depth=3', {
        token,
      });
      const personal = tree.body.nodes.find(
        (n: { title: string }) => n.title === 'Cut the import wizard to three steps',
      );
      const company = tree.body.nodes.find(
        (n: { level: string; depth: number }) => n.level === 'company' && n.depth === 0,
      );
      const card = (await app.request('GET', `/api/v1/goals/${personal.id}`, { token })).body;
      const answer = await app.request(
        'POST',
        `/api/v1/key-results/${card.keyResults[0].id}/check-ins`,
        { token, body: { value: 3 } },
      );
      assert.equal(answer.status, 201, answer.text);
      const after = (await app.request('GET', `/api/v1/goals/${company.id}`, { token })).body;
      assert.notEqual(after.progress, company.progress);
    });

    it('when every view is read, then each answer matches its documented schema exactly, with no extra field', async () => {
      const read = async (path: string, schema: z.ZodType) => {
        const answer = await app.request('GET', path, { token });
        assert.equal(answer.status, 200, `${path}: ${answer.text}`);
        const parsed = schema.safeParse(answer.body);
        assert.ok(parsed.success, `${path}: ${JSON.stringify(parsed.error?.issues.slice(0, 3))}`);
        return answer.body;
      };
      await read('/api/v1/me', meView);
      await read('/api/v1/timeframes', timeframesView);
      await read('/api/v1/alignment?depth=50', alignmentView);
      const page = await read('/api/v1/goals?limit=8', pageView(goalSummaryView));
      for (const summary of page.items) {
        const card = await read(`/api/v1/goals/${summary.id}`, goalView);
        for (const kr of card.keyResults)
          await read(`/api/v1/key-results/${kr.id}/check-ins`, pageView(checkInView));
      }
      const card = await read(`/api/v1/goals/${page.items[2].id}`, goalView);
      const posted = await app.request(
        'POST',
        `/api/v1/key-results/${card.keyResults[0].id}/check-ins`,
        { token, body: { value: 1, comment: 'schema check' } },
      );
      assert.equal(posted.status, 201, posted.text);
      assert.ok(checkInResultView.safeParse(posted.body).success);
      const openApi = await app.request('GET', '/api/v1/openapi.json');
      const cardDoc =
        openApi.body.paths['/goals/{id}'].get.responses['200'].content['application/json'].schema;
      assert.ok(cardDoc.required.includes('keyResults'));
    });
  });
}
