import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { createAuthenticator } from './lib/auth.js';
import { createFailureBudget, limitFailedAuthentication } from './lib/auth-failures.js';
import { createCaches, type Caches } from './lib/caches.js';
import { createChanges } from './lib/changes.js';
import type { Config } from './lib/config.js';
import { createCors } from './lib/cors.js';
import type { Database } from './lib/db.js';
import {
  errorHandler,
  notFoundHandler,
  requestContext,
  requestIdOf,
  requireJsonBody,
} from './lib/http.js';
import type { Logger } from './lib/logger.js';
import { ApiRouter, openApiDocument } from './lib/openapi.js';
import { createRateLimiter } from './lib/rate-limit.js';
import { cachedAlignment } from './components/alignment/alignment.cached.js';
import { createAlignmentRepository } from './components/alignment/alignment.repository.js';
import { alignmentRoutes } from './components/alignment/alignment.routes.js';
import { createAlignmentService } from './components/alignment/alignment.service.js';
import { createCheckInsRepository } from './components/check-ins/check-ins.repository.js';
import { checkInsRoutes } from './components/check-ins/check-ins.routes.js';
import { createCheckInsService } from './components/check-ins/check-ins.service.js';
import { createIdempotencySweeper } from './components/check-ins/idempotency-sweeper.js';
import { createGoalsRepository } from './components/goals/goals.repository.js';
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
   * A fresh set unless given: code that writes keys next to the app in the same process (the
   * tests' harness) shares the app's set, so a key it retires is forgotten at once.
   */
  caches?: Caches;
  /** More links for `GET /`, read per request: demo mode adds its sites once they listen. */
  homeLinks?: () => Record<string, string>;
}

/** Builds the whole BFF around its dependencies; `server.ts` listens, tests use port 0. */
export function createApp({
  config,
  db,
  logger,
  caches = createCaches(),
  homeLinks,
}: AppDeps): Express {
  const { views } = caches;
  const orgs = createOrgsRepository(db, caches.orgLookups);
  const users = createUsersRepository(db);
  const goals = createGoalsRepository(db);
  const keyResults = createKeyResultsRepository(db);
  const checkIns = createCheckInsRepository(db);
  const timeframes = createTimeframesRepository(db);
  const currentTimeframeId = createCurrentTimeframe(timeframes, views);
  const chains = createGoalChains(db, goals, keyResults);
  const changes = createChanges(views);
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
  goalsRoutes(api, goalsService);
  keyResultsRoutes(api, keyResultsService);
  checkInsRoutes(api, checkInsService);
  alignmentRoutes(
    api,
    cachedAlignment(
      createAlignmentService(createAlignmentRepository(db), timeframes),
      views,
      currentTimeframeId,
    ),
  );
  const openApi = openApiDocument(api.operations);

  const cors = createCors(orgs, logger);
  const verifyToken = createAuthenticator({ orgs, orgsService, users, logger, caches });
  const authenticate =
    config.authFailuresPerMinute === 0
      ? verifyToken
      : limitFailedAuthentication({
          authenticate: verifyToken,
          budget: createFailureBudget(config.authFailuresPerMinute),
          caches,
        });
  const rateLimit = createRateLimiter(config.rateLimitPerMinute);
  const privateCaching: RequestHandler = (req, res, next) => {
    res.set('Cache-Control', req.method === 'GET' ? 'private, no-cache' : 'no-store');
    next();
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'weak');
  app.set('query parser', 'simple');
  app.set('trust proxy', config.trustProxy);
  app.use(requestContext(logger));
  app.use(helmet());

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
      res.json({ status: 'ready' });
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

  app.get('/api/v1/openapi.json', cors.corsHeaders, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(openApi);
  });
  app.use(
    '/api/v1',
    cors.corsHeaders,
    requireJsonBody,
    express.json({ limit: config.jsonBodyLimitBytes }),
    authenticate,
    cors.requireOrgOrigin,
    rateLimit,
    privateCaching,
    api.router,
  );

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
