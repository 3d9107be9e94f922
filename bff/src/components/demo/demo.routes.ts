import path from 'node:path';
import express, { Router } from 'express';
import type { Database } from '../../lib/db.js';
import { repoRoot } from '../../lib/paths.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import { createDemoRepository } from './demo.repository.js';
import { demoUsers } from './demo.data.js';

export interface DemoDeps {
  db: Database;
  orgsService: OrgsService;
  orgSlug: string;
  production: boolean;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A CSP without 'unsafe-inline': the demo proves the widgets need none. */
const demoCsp =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * Demo mode only: an intranet page with goal cards, and a token endpoint that plays the host's
 * server, signing a short-lived token for the demo user. Outside demo mode none of this exists.
 */
export function demoRoutes({ db, orgsService, orgSlug, production }: DemoDeps): Router {
  const router = Router();
  const repo = createDemoRepository(db);
  const user = demoUsers.kim;

  router.get('/', async (_req, res) => {
    const org = await orgsService.orgBySlug(orgSlug);
    const goals = await repo.goalIdsOfOrg(org.id, 4);
    const cards = goals
      .map((goal) => `      <okr-goal-card goal-id="${escapeHtml(goal.id)}"></okr-goal-card>`)
      .join('\n');
    res.set('Content-Security-Policy', demoCsp).set('Cache-Control', 'no-store').type('html')
      .send(`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Acme intranet — OKRs (okr-embed demo)</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/demo/demo.css" />
    <script type="module" src="/demo/demo.js"></script>
  </head>
  <body>
    <header><h1>Acme intranet</h1><p>Signed in as ${escapeHtml(user.name)}</p></header>
    <main>
      <h2>Our OKRs this quarter</h2>
      <section class="cards">
${cards}
      </section>
    </main>
  </body>
</html>
`);
  });

  router.use(
    express.static(path.join(repoRoot, 'bff/src/demo'), {
      index: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );

  router.post('/token', async (_req, res) => {
    const signed = await orgsService.signToken(
      {
        org: orgSlug,
        sub: user.sub,
        name: user.name,
        email: user.email,
        teams: [...user.teams],
        scope: 'okr:read okr:checkin okr:write',
        ttlSeconds: 300,
      },
      production,
    );
    res.set('Cache-Control', 'no-store').json({ token: signed.token, expiresAt: signed.expiresAt });
  });

  return router;
}
