/**
 * Admin API: `POST /backup` answers with a backup file (`tessera.backup.v1`, gzip) of one
 * consistent snapshot. `tessera backup` uses it when a running server holds the embedded database.
 * A backup that fails midway ends the answer early, without its trailer: a restore refuses it.
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';

export function backupRoutes(app: FastifyInstance, { backups }: Services): void {
  app.post('/backup', async (request, reply) => {
    const body = new PassThrough();
    backups.write(body).catch((err: unknown) => {
      request.log.error({ err }, 'backup failed');
      body.destroy(err as Error);
    });
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="tessera.backup"')
      .type('application/gzip')
      .send(body);
  });
}
