/**
 * Demo mode's two customer sites, each on its own origin: Acme's intranet (org `demo`) and a
 * partner product, Nordlicht, that embeds okr-embed white-labelled (org `partner`). Each site
 * signs tokens with its own org's key, so neither page can see the other's data, and each org
 * allows exactly its site's origin for CORS.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoUsers } from '../components/demo/demo.data.js';
import { createDemoRepository } from '../components/demo/demo.repository.js';
import { seedDemo } from '../components/demo/demo.seed.js';
import { createOrgsRepository } from '../components/orgs/orgs.repository.js';
import type { OrgsService } from '../components/orgs/orgs.service.js';
import type { Database } from '../lib/db.js';
import { startDemoHost, type DemoHost, type DemoHostUser } from './host-server.js';

const sites = path.dirname(fileURLToPath(import.meta.url));

export const PARTNER_ORG = 'partner';

export interface DemoHostsOptions {
  db: Database;
  orgsService: OrgsService;
  /** The org `okr serve --demo` seeds for the intranet. */
  intranetOrg: string;
  bffOrigin: string;
  intranetPort: number;
  partnerPort: number;
}

export interface DemoHosts {
  intranet: DemoHost;
  partner: DemoHost;
  close(): Promise<void>;
}

const userOf = (person: (typeof demoUsers)[keyof typeof demoUsers]): DemoHostUser => ({
  sub: person.sub,
  name: person.name,
  email: person.email,
  teams: [...person.teams],
  scope: 'okr:read okr:checkin okr:write',
});

/** Seeds the partner org on first start; the intranet org is seeded before the BFF listens. */
export async function seedPartnerOrg(db: Database, orgsService: OrgsService): Promise<void> {
  if (await createOrgsRepository(db).findOrgBySlug(PARTNER_ORG)) return;
  await seedDemo(db, orgsService, { slug: PARTNER_ORG, name: 'Nordlicht GmbH' });
}

export async function startDemoHosts(options: DemoHostsOptions): Promise<DemoHosts> {
  const orgs = createOrgsRepository(options.db);
  const demo = createDemoRepository(options.db);

  const start = async (
    slug: string,
    site: string,
    port: number,
    user: DemoHostUser,
  ): Promise<DemoHost> => {
    const org = await options.orgsService.orgBySlug(slug);
    const [key] = await orgs.activeKeys(org.id, 'HS256');
    if (!key) throw new Error(`demo org ${slug} has no active HS256 key`);
    const featured = await demo.featuredGoalOf(org.id, user.sub);
    if (!featured) throw new Error(`demo org ${slug} has no goal of ${user.sub} to feature`);
    const host = await startDemoHost({
      siteDir: path.join(sites, site),
      port,
      bffOrigin: options.bffOrigin,
      key: { kid: key.kid, secret: options.orgsService.secretOf(key), issuer: org.issuer },
      user,
      pageValues: {
        FEATURED_GOAL_ID: featured.goalId,
        FEATURED_KEY_RESULT_ID: featured.keyResultId,
      },
    });
    // Ports may be chosen by the OS, so the allowed origin is only known now.
    await orgs.replaceOrigins(org.id, [host.origin]);
    return host;
  };

  const intranet = await start(
    options.intranetOrg,
    'intranet',
    options.intranetPort,
    userOf(demoUsers.kim),
  );
  const partner = await start(PARTNER_ORG, 'partner', options.partnerPort, userOf(demoUsers.kim));
  return {
    intranet,
    partner,
    close: async () => {
      await Promise.all([intranet.close(), partner.close()]);
    },
  };
}
