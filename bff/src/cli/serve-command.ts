import { parse, print, type Command } from './args.js';

export const serve: Command = async (args, context) => {
  const { values } = parse(args, { demo: { type: 'boolean' } });
  const demo = values.demo === true;
  const { config } = context;
  const [
    { createLogger },
    { startServer },
    { seedDemo },
    { createOrgsRepository },
    { createOrgsService },
    { seedPartnerOrg, startDemoHosts },
  ] = await Promise.all([
    import('../lib/logger.js'),
    import('../server.js'),
    import('../components/demo/demo.seed.js'),
    import('../components/orgs/orgs.repository.js'),
    import('../components/orgs/orgs.service.js'),
    import('../demo-hosts/demo-hosts.js'),
  ]);
  const logger = createLogger(config.logLevel);
  const demoLinks: Record<string, string> = {};
  const running = await startServer({
    homeLinks: () => demoLinks,
    config,
    logger,
    masterKeySource: context.masterKeySource,
    demo,
    prepare: demo
      ? async (db, checked) => {
          const repository = createOrgsRepository(db);
          const orgsService = createOrgsService(repository, checked.masterKey);
          await seedPartnerOrg(db, orgsService);
          if (await repository.findOrgBySlug('demo')) return;
          await seedDemo(db, orgsService, { slug: 'demo' });
          logger.info('seeded the demo organization');
        }
      : undefined,
  });
  const url = `http://localhost:${running.port}`;
  // The demo's customer sites sit on the next two ports (any free ports when PORT=0).
  const hosts = demo
    ? await startDemoHosts({
        db: running.db,
        orgsService: createOrgsService(createOrgsRepository(running.db), running.config.masterKey),
        intranetOrg: 'demo',
        bffOrigin: url,
        intranetPort: config.port === 0 ? 0 : running.port + 1,
        partnerPort: config.port === 0 ? 0 : running.port + 2,
      })
    : undefined;
  if (hosts) {
    demoLinks.demoIntranet = `${hosts.intranet.origin}/`;
    demoLinks.demoPartner = `${hosts.partner.origin}/`;
  }
  const lines = [
    `okr-embed BFF listening on ${url}`,
    ...(hosts
      ? [
          `Demo page: ${hosts.intranet.origin}/   (Acme intranet, embeds the widgets cross-origin)`,
          `Partner demo: ${hosts.partner.origin}/   (white-label: dark, German, own wording)`,
        ]
      : []),
  ];
  print(
    values,
    { url, demo: hosts?.intranet.origin ?? null, partner: hosts?.partner.origin ?? null },
    lines.join('\n'),
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      Promise.all([hosts?.close(), running.stop()]).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
};
