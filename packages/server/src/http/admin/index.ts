/** The admin REST API under /admin/api. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';
import { accountRoutes } from './account-routes.ts';
import { adminAuthenticator } from './auth.ts';
import { backupRoutes } from './backup-routes.ts';
import { environmentRoutes } from './environment-routes.ts';
import { installationRoutes } from './installation-routes.ts';
import { keyRoutes } from './key-routes.ts';
import { liveRoutes } from './live-routes.ts';
import { mergeRoutes } from './merge-routes.ts';
import { operatorRoutes } from './operator-routes.ts';
import { privacyRoutes } from './privacy-routes.ts';
import { sessionRoutes } from './session-routes.ts';
import { statsRoutes } from './stats-routes.ts';

export interface AdminApiOptions {
  /** `TESSERA_ADMIN_TOKEN`, when set. */
  adminToken: string | undefined;
  /** This process's own credential for the `tessera` command (accepted from this machine only). */
  localToken: string;
}

export function adminApi(services: Services, options: AdminApiOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    // Signing in needs no credentials; everything else does (in its own scope, so the hook skips these).
    sessionRoutes(app, services);
    await app.register(async (api) => {
      api.addHook('onRequest', adminAuthenticator({ ...options, tokens: services.adminTokens }, services.operators));
      environmentRoutes(api, services);
      keyRoutes(api, services);
      accountRoutes(api, services);
      mergeRoutes(api, services);
      statsRoutes(api, services);
      liveRoutes(api, services);
      privacyRoutes(api, services);
      operatorRoutes(api, services);
      installationRoutes(api, services);
      backupRoutes(api, services);
    });
  };
}
