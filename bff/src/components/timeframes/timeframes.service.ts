import { dayOf, type Timeframe, type TimeframeSummary } from '@okr-embed/contract';
import type { AuthContext } from '../../lib/auth.js';
import type { Changes } from '../../lib/changes.js';
import type { CreateTimeframeBody } from './timeframes.schema.js';
import type { TimeframesRepository } from './timeframes.repository.js';

export function createTimeframesService(repo: TimeframesRepository, changes: Changes) {
  return {
    async listTimeframes(auth: AuthContext, now = new Date()): Promise<Timeframe[]> {
      const timeframes = await repo.listTimeframes(auth.org.id);
      const current = await repo.timeframeOn(auth.org.id, dayOf(now));
      return timeframes.map((t) => ({ ...t, current: t.id === current?.id }));
    },

    async createTimeframe(auth: AuthContext, body: CreateTimeframeBody): Promise<TimeframeSummary> {
      const id = await repo.insertTimeframe({ orgId: auth.org.id, ...body });
      await changes.committed(auth.org.id);
      return { id, ...body };
    },
  };
}

export type TimeframesService = ReturnType<typeof createTimeframesService>;
