import cluster from 'node:cluster';
import { badValue, integer, parse, print, type Command } from './args.js';

export const serve: Command = async (args, context) => {
  const { values } = parse(args, { demo: { type: 'boolean' }, workers: { type: 'string' } });
  const demo = values.demo === true;
  const workers = integer(values, 'workers', 1, 64) ?? 1;
  const { config } = context;
  if (workers > 1) {
    if (demo) throw badValue('usage', '--workers runs the BFF alone; --demo is for one process');
    if (!config.redisUrl) {
      throw badValue(
        'usage',
        `--workers ${workers} needs REDIS_URL: without it each worker keeps its own rate limits and caches, so a user would get ${workers}× the limit and may read views older than a write another worker acknowledged`,
      );
    }
    if (config.metricsToken !== undefined && config.metricsPort === undefined) {
      throw badValue(
        'usage',
        '--workers needs METRICS_PORT for metrics: the primary sums every worker there; METRICS_TOKEN on the API port would show one worker at a time',
      );
    }
  }
  const { createLogger } = await import('../lib/logger.js');
  const logger = createLogger(config.logLevel);

  if (workers > 1 && cluster.isPrimary) {
    const { runPrimary } = await import('./serve-workers.js');
    await runPrimary({
      config,
      logger,
      masterKeySource: context.masterKeySource,
      workers,
      onListening: (url, metrics) =>
        print(
          values,
          { url, workers, metrics: metrics ?? null },
          [
            `okr-embed BFF listening on ${url} (${workers} workers)`,
            ...(metrics ? [`Metrics: ${metrics}`] : []),
          ].join('\n'),
        ),
    });
    // Every worker has drained and exited: nothing is left to wait for.
    process.exit(0);
  }
  if (cluster.isWorker) {
    await serveWorker(context, logger.child({ worker: cluster.worker?.id, pid: process.pid }));
    return;
  }
  await serveOne(values, context, logger, demo);
};

type Logger = import('../lib/logger.js').Logger;

/** One of `--workers N`: its own app on the shared port; the primary migrated and sums metrics. */
async function serveWorker(context: Parameters<Command>[1], logger: Logger) {
  const [{ startServer }, { answerMetricsRequests }] = await Promise.all([
    import('../server.js'),
    import('./serve-workers.js'),
  ]);
  const running = await startServer({
    config: context.config,
    logger,
    masterKeySource: context.masterKeySource,
    migrate: false,
    metricsListener: false,
  });
  answerMetricsRequests(running.metrics.registry);
  logger.info({ port: running.port }, 'worker listening');
  stopOnSignal(() => running.stop(), logger);
}

function stopOnSignal(stop: () => Promise<unknown>, logger: Logger) {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

async function serveOne(
  values: import('./args.js').Values,
  context: Parameters<Command>[1],
  logger: Logger,
  demo: boolean,
) {
  const { config } = context;
  const [
    { startServer },
    { seedDemo },
    { createOrgsRepository },
    { createOrgsService },
    { seedPartnerOrg, startDemoHosts },
  ] = await Promise.all([
    import('../server.js'),
    import('../components/demo/demo.seed.js'),
    import('../components/orgs/orgs.repository.js'),
    import('../components/orgs/orgs.service.js'),
    import('../demo-hosts/demo-hosts.js'),
  ]);
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
    ...(running.metricsPort !== undefined
      ? [`Metrics: http://localhost:${running.metricsPort}/metrics`]
      : []),
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
  stopOnSignal(() => Promise.all([hosts?.close(), running.stop()]), logger);
}
