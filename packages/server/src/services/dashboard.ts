/** The services behind the operator dashboard: operators and sessions, statistics, the live feed. */
import type { Database } from '../storage/database.ts';
import { LiveEvents } from './live-events.ts';
import { OperatorService } from './operators.ts';
import { StatsService } from './stats.ts';

export interface DashboardServices {
  operators: OperatorService;
  stats: StatsService;
  liveEvents: LiveEvents;
}

/** @example const { operators } = createDashboardServices(db); */
export function createDashboardServices(db: Database): DashboardServices {
  return { operators: new OperatorService(db), stats: new StatsService(db), liveEvents: new LiveEvents(db) };
}
