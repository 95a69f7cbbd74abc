/** Admin API: undo a merge. */
import type { FastifyInstance } from 'fastify';
import { isUuid } from '../../services/account-reads.ts';
import type { Services } from '../../services/index.ts';
import { ErrorCode, TesseraError } from '../../errors.ts';

export function mergeRoutes(app: FastifyInstance, { environments, merges }: Services): void {
  app.post<{ Params: { name: string; id: string } }>('/environments/:name/merges/:id/undo', async (request) => {
    const env = await environments.get(request.params.name);
    if (!isUuid(request.params.id)) throw new TesseraError(ErrorCode.NOT_FOUND, 'No such merge in this environment');
    return merges.undo(env.id, request.params.id);
  });
}
