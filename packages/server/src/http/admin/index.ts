/** The admin REST API under /admin/api. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';
import { accountRoutes } from './account-routes.ts';
import { adminAuthenticator } from './auth.ts';
import { environmentRoutes } from './environment-routes.ts';
import { mergeRoutes } from './merge-routes.ts';

export function adminApi(services: Services, adminToken: string | undefined) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', adminAuthenticator(adminToken));
    environmentRoutes(app, services);
    accountRoutes(app, services);
    mergeRoutes(app, services);
  };
}
