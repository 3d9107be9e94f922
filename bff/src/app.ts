import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { createAuthenticator } from './lib/auth.js';
import {
  createFailureBudget,
  limitFailedAuthentication,
  sharedFailureBudget,
} from './lib/auth-failures.js';
import { createCaches, type Caches } from './lib/caches.js';
import { createChanges } from './lib/changes.js';
import type { Config } from './lib/config.js';
import { createCors } from './lib/cors.js';
import type { Database } from './lib/db.js';
import { createEventBus } from './lib/events/create-event-bus.js';
import { createEventStreams, type EventStreams } from './lib/events/event-streams.js';
import {
  clientAddress,
  errorAnswerer,
  errorHandler,
  jsonBody,
  notFoundHandler,
  rememberMount,
  requestContext,
  requestIdOf,
} from './lib/http.js';
import type { Logger } from './lib/logger.js';
import { createMetrics, metricsWithToken, type Metrics } from './lib/metrics.js';
import { ApiRouter, openApiDocument } from './lib/openapi.js';
import { listenForOrgChanges, orgChangeAnnouncer } from './lib/org-changes.js';
import { createRateLimiter } from './lib/rate-limit.js';
import { createSharedState, type SharedState } from './lib/shared-state/index.js';
import { cachedAlignment } from './components/alignment/alignment.cached.js';
import { createAlignmentRepository } from './components/alignment/alignment.repository.js';
import { alignmentRoutes } from './components/alignment/alignment.routes.js';
import { createAlignmentService } from './components/alignment/alignment.service.js';
import { eventsRoutes } from './components/events/events.routes.js';
import { createCheckInsRepository } from './components/check-ins/check-ins.repository.js';
import { checkInsRoutes } from './components/check-ins/check-ins.routes.js';
import { createCheckInsService } from './components/check-ins/check-ins.service.js';
import { createIdempotencySweeper } from './components/check-ins/idempotency-sweeper.js';
import { createDirectoryRepository } from './components/directory/directory.repository.js';
import { directoryRoutes } from './components/directory/directory.routes.js';
import { createDirectoryService } from './components/directory/directory.service.js';
import { createGoalCopyRepository } from './components/goals/goal-copy.repository.js';
import { createGoalCopyService } from './components/goals/goal-copy.service.js';
import { createGoalsRepository } from './components/goals/goals.repository.js';
import { progressHistoryRoutes } from './components/progress-history/progress-history.routes.js';
import { createProgressHistoryService } from './components/progress-history/progress-history.service.js';
import { createGoalCard } from './components/goals/goal-card.js';
import { goalsRoutes } from './components/goals/goals.routes.js';
import { createGoalChains } from './components/goals/goals.propagation.js';
import { createGoalsService } from './components/goals/goals.service.js';
import { createKeyResultsRepository } from './components/key-results/key-results.repository.js';
import { keyResultsRoutes } from './components/key-results/key-results.routes.js';
import { createKeyResultsService } from './components/key-results/key-results.service.js';
import { createOrgsRepository } from './components/orgs/orgs.repository.js';
import { createOrgsService } from './components/orgs/orgs.service.js';
import { createTimeframesRepository } from './components/timeframes/timeframes.repository.js';
import { createCurrentTimeframe } from './components/timeframes/current-timeframe.js';
import { timeframesRoutes } from './components/timeframes/timeframes.routes.js';
import { createTimeframesService } from './components/timeframes/timeframes.service.js';
import { createUsersRepository } from './components/users/users.repository.js';
import { meRoutes } from './components/users/users.routes.js';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  /**
   * Made from the configuration (Redis with REDIS_URL) unless given; the app closes the one it
   * made when its database closes, and a given one is its giver's to close.
   */
  sharedState?: SharedState;
  /**
   * A fresh set over the shared state unless given: code that writes keys next to the app in
   * the same process (the tests' harness) shares the app's set, so a key it retires is
   * forgotten at once. Given caches come with the shared state they were made over.
   */
  caches?: Caches;
  /** More links for `GET /`, read per request: demo mode adds its sites once they listen. */
  homeLinks?: () => Record<string, string>;
  /** A fresh registry unless given: the server passes one with process metrics in it. */
  metrics?: Metrics;
}

/**
 * Each app's open event streams, for the server's shutdown: they never end by themselves, so
 * `server.close()` would otherwise wait the whole grace period for them.
 */
const streamsOfApp = new WeakMap<Express, EventStreams>();

/** Ends the app's event streams (clients reconnect elsewhere and resume); call once closing. */
export function closeEventStreams(app: Express): void {
  streamsOfApp.get(app)?.closeAll();
}

/** Builds the whole BFF around its dependencies; `server.ts` listens, tests use port 0. */
export function createApp({
  config,
  db,
  logger,
  sharedState,
  caches: givenCaches,
  homeLinks,
  metrics = createMetrics(),
}: AppDeps): Express {
  const shared = sharedState ?? createSharedState(config, logger);
  if (!sharedState) db.onClose(() => void shared.close());
  const caches = givenCaches ?? createCaches(shared);
  listenForOrgChanges(shared, caches);
  if (config.redisUrl) {
    metrics.setRedisUp(shared.status() === 'ok');
    shared.onStatusChange((status) => metrics.setRedisUp(status === 'ok'));
  }
  metrics.watchDatabase(db);
  metrics.watchCaches(caches);
  const { views } = caches;
  const orgs = createOrgsRepository(
    db,
    caches.orgLookups,
    orgChangeAnnouncer(shared, (orgId) => views.invalidate(orgId)),
  );
  const users = createUsersRepository(db);
  const goals = createGoalsRepository(db);
  const keyResults = createKeyResultsRepository(db);
  const checkIns = createCheckInsRepository(db);
  const timeframes = createTimeframesRepository(db);
  const currentTimeframeId = createCurrentTimeframe(timeframes, views);
  const chains = createGoalChains(db, goals, caches.keyResultChains);
  const bus = createEventBus(config, logger);
  const changes = createChanges(views, async (orgId, event) => {
    await bus.publish(orgId, event);
    metrics.eventsPublished.inc({ type: event.type });
  });
  const streams = createEventStreams(
    bus,
    {
      perUser: config.eventStreamsPerUser,
      perInstance: config.eventStreamsPerInstance,
      heartbeatMs: config.eventHeartbeatMs,
    },
    logger,
    {
      opened: () => metrics.eventStreamsOpen.inc(),
      closed: () => metrics.eventStreamsOpen.dec(),
      delivered: (type) => metrics.eventsDelivered.inc({ type }),
    },
  );
  // The bus and its streams live as long as the database the writes go to.
  db.onClose(() => {
    streams.closeAll();
    void bus.close();
  });
  // Lives as long as the database it sweeps: closing the app's database stops it.
  const sweeper = createIdempotencySweeper({ checkIns, logger });
  sweeper.start();
  db.onClose(() => sweeper.stop());

  const orgsService = createOrgsService(orgs, config.masterKey);
  const goalCard = createGoalCard({ goals, keyResults, checkIns });
  const goalsService = createGoalsService({
    db,
    goals,
    keyResults,
    timeframes,
    users,
    goalCard,
    chains,
    views,
    changes,
    currentTimeframeId,
  });
  const keyResultsService = createKeyResultsService({ db, keyResults, users, chains, changes });
  const checkInsService = createCheckInsService({ db, checkIns, keyResults, chains, changes });

  const api = new ApiRouter();
  meRoutes(api);
  timeframesRoutes(api, createTimeframesService(timeframes, changes));
  goalsRoutes(
    api,
    goalsService,
    createGoalCopyService({
      db,
      copies: createGoalCopyRepository(db),
      goals,
      keyResults,
      timeframes,
      chains,
      goalCard,
      changes,
    }),
  );
  progressHistoryRoutes(api, createProgressHistoryService({ goals, keyResults, checkIns }));
  directoryRoutes(
    api,
    createDirectoryService({ db, directory: createDirectoryRepository(db), changes }),
  );
  keyResultsRoutes(api, keyResultsService);
  checkInsRoutes(api, checkInsService);
  eventsRoutes(api, streams);
  alignmentRoutes(
    api,
    cachedAlignment(
      createAlignmentService(createAlignmentRepository(db), timeframes),
      views,
      currentTimeframeId,
    ),
  );
  const openApi = openApiDocument(api.operations);

  const answerError = errorAnswerer(metrics);
  const cors = createCors(orgs, logger, answerError);
  const verifyToken = createAuthenticator({
    orgs,
    orgsService,
    users,
    logger,
    caches,
    admitOrigin: cors.admitOrigin,
  });
  const authenticate =
    config.authFailuresPerMinute === 0
      ? verifyToken
      : limitFailedAuthentication({
          authenticate: verifyToken,
          budget:
            shared.status() === 'in-process'
              ? createFailureBudget(config.authFailuresPerMinute)
              : sharedFailureBudget(shared.limiter('auth-failures', config.authFailuresPerMinute)),
          caches,
          addressOf: clientAddress(config.trustProxy),
          answerError,
        });
  const rateLimit = createRateLimiter(config.rateLimitPerMinute, () =>
    shared.limiter('requests', config.rateLimitPerMinute),
  );
  const privateCaching: RequestHandler = (req, res, next) => {
    res.set('Cache-Control', req.method === 'GET' ? 'private, no-cache' : 'no-store');
    next();
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'weak');
  app.set('query parser', 'simple');
  app.set('trust proxy', config.trustProxy);
  app.use(requestContext(logger, metrics));
  app.use(helmet());

  // The API first: every widget request is one, and it need not be matched against the
  // routes a browser or a probe opens now and then.
  app.get('/api/v1/openapi.json', cors.corsHeaders, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(openApi);
  });
  app.use(
    '/api/v1',
    rememberMount,
    cors.corsHeaders,
    jsonBody(config.jsonBodyLimitBytes),
    authenticate,
    rateLimit,
    privateCaching,
    api.router,
  );

  // Someone who opens the BFF's address in a browser finds where things are, not a 404.
  app.get('/', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      service: 'okr-embed BFF',
      links: {
        health: '/healthz',
        readiness: '/readyz',
        openApi: '/api/v1/openapi.json',
        widgets: '/widgets/okr-embed.js',
        ...homeLinks?.(),
      },
    });
  });
  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  app.get('/readyz', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await db.ping();
      // Redis away is degraded service (uncached reads, limits per instance), not a dead one.
      const redis = shared.status();
      res.json({ status: 'ready', redis: redis === 'in-process' ? 'not configured' : redis });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check: database unreachable');
      res.status(503).json({
        error: {
          code: 'database_unavailable',
          message: 'The database does not answer',
          requestId: requestIdOf(req),
        },
      });
    }
  });

  // The bundle is loaded by other origins' pages: the one route that opts out of helmet's
  // same-origin resource policy.
  app.use(
    '/widgets',
    (_req, res, next) => {
      res.set('Access-Control-Allow-Origin', '*');
      res.set('Cross-Origin-Resource-Policy', 'cross-origin');
      next();
    },
    express.static(config.widgetsDir, { maxAge: '5m', index: false, fallthrough: true }),
  );

  // With METRICS_PORT the metrics have a listener of their own (server.ts) and 404 here.
  if (config.metricsToken !== undefined && config.metricsPort === undefined)
    app.get('/metrics', metricsWithToken(metrics, config.metricsToken));

  app.use(notFoundHandler);
  app.use(errorHandler(logger, metrics));
  streamsOfApp.set(app, streams);
  return app;
}
