/**
 * Every request body is parsed as JSON, whatever its Content-Type: DashX's Ruby SDK sends none
 * and `navigator.sendBeacon` sends text/plain. An empty body is `undefined`; bad JSON is a 400.
 */
import { Limits } from '@tessera/protocol';
import type { FastifyInstance } from 'fastify';

export function parseEveryBodyAsJson(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: Limits.maxBodyBytes }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new SyntaxError('The body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
}
