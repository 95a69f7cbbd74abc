// Type tests of the public API: compiled (never run) by types.test.ts; a @ts-expect-error that is
// not an error fails it too.
import { describe, expectTypeOf, it } from 'vitest';
import {
  createClient,
  isTesseraError,
  type Account,
  type AccountExport,
  type ClientOptions,
  type DeleteResult,
  type EventPage,
  type FlushResult,
  type IdentifyResult,
  type ShutdownResult,
  type TesseraClient,
  type TesseraError,
  type TesseraErrorCode,
  type TrackedEvent,
} from '../src/index.ts';

const tessera = createClient({ baseUri: 'http://127.0.0.1:4000', publicKey: 'pk_x', privateKey: 'sk_x' });

describe('public types', () => {
  it('createClient takes optional options, like DashX.createClient', () => {
    expectTypeOf(createClient).parameter(0).toEqualTypeOf<ClientOptions | undefined>();
    expectTypeOf(createClient()).toEqualTypeOf<TesseraClient>();
    expectTypeOf<ClientOptions['flushAt']>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error unknown options are caught
    createClient({ baseUri: 'http://x', flushEvery: 5 });
    // @ts-expect-error keys are strings
    createClient({ publicKey: 42 });
  });

  it('identify has the @dashx/node signatures', () => {
    expectTypeOf(tessera.identify('user-1', { email: 'a@b.c', plan: 'pro' })).toEqualTypeOf<Promise<IdentifyResult>>();
    expectTypeOf(tessera.identify(42)).toEqualTypeOf<Promise<IdentifyResult>>();
    expectTypeOf(tessera.identify({ email: 'a@b.c' })).toEqualTypeOf<Promise<IdentifyResult>>();
    expectTypeOf(tessera.identify()).toEqualTypeOf<Promise<IdentifyResult>>();
    expectTypeOf(tessera.identify('user-1', { anonymousUid: 'e319…' })).toEqualTypeOf<Promise<IdentifyResult>>();
    expectTypeOf<IdentifyResult>().toEqualTypeOf<{ uid: string | undefined; anonymousUid: string | undefined }>();
    // @ts-expect-error standard traits are strings
    void tessera.identify('user-1', { email: 42 });
    // @ts-expect-error traits are an object
    void tessera.identify('user-1', 'a@b.c');
  });

  it('track(event, uid, data) returns at once; flush and shutdown say what happened', () => {
    expectTypeOf(tessera.track('Clicked', 'user-1', { a: 1 })).toEqualTypeOf<void>();
    expectTypeOf(tessera.track('Clicked', 42)).toEqualTypeOf<void>();
    tessera.track('Clicked', 'user-1', {}, { timestamp: new Date(), messageId: 'm-1' });
    // @ts-expect-error the uid is required
    tessera.track('Clicked');
    // @ts-expect-error data is an object
    tessera.track('Clicked', 'user-1', 'data');
    expectTypeOf(tessera.flush()).toEqualTypeOf<Promise<FlushResult>>();
    expectTypeOf(tessera.shutdown()).toEqualTypeOf<Promise<ShutdownResult>>();
    expectTypeOf<FlushResult['rejected'][number]['messageId']>().toEqualTypeOf<string>();
    expectTypeOf<ShutdownResult>().toMatchTypeOf<FlushResult & { timedOut: boolean }>();
  });

  it('generateIdentityToken returns a string', () => {
    expectTypeOf(tessera.generateIdentityToken('user-1')).toEqualTypeOf<string>();
    expectTypeOf(tessera.generateIdentityToken(7, { expiresIn: '1d' })).toEqualTypeOf<string>();
    void tessera.generateIdentityToken('user-1', { expiresIn: 3600 });
    // @ts-expect-error expiresIn is a number or a string
    void tessera.generateIdentityToken('user-1', { expiresIn: new Date() });
  });

  it('account reads give typed values, null for "no such user"', () => {
    expectTypeOf(tessera.getAccount('user-1')).toEqualTypeOf<Promise<Account | null>>();
    expectTypeOf<Account['createdAt']>().toEqualTypeOf<Date>();
    expectTypeOf<Account['visitors'][number]['anonymousUid']>().toEqualTypeOf<string>();
    expectTypeOf(tessera.listEvents('user-1', { limit: 10, before: new Date() })).toEqualTypeOf<Promise<EventPage>>();
    expectTypeOf<EventPage['events'][number]>().toEqualTypeOf<TrackedEvent>();
    expectTypeOf<TrackedEvent['timestamp']>().toEqualTypeOf<Date>();
    expectTypeOf(tessera.exportAccount('user-1')).toEqualTypeOf<Promise<AccountExport | null>>();
    expectTypeOf<AccountExport['events'][number]['timestamp']>().toEqualTypeOf<string>();
    expectTypeOf(tessera.deleteAccount('user-1')).toEqualTypeOf<Promise<DeleteResult>>();
    // @ts-expect-error limit is a number
    void tessera.listEvents('user-1', { limit: '10' });
  });

  it('errors carry a closed set of codes', () => {
    const err: unknown = new Error();
    if (isTesseraError(err)) {
      expectTypeOf(err).toEqualTypeOf<TesseraError>();
      expectTypeOf(err.code).toEqualTypeOf<TesseraErrorCode>();
      expectTypeOf(err.status).toEqualTypeOf<number | undefined>();
    }
    expectTypeOf<'UNAUTHORIZED'>().toMatchTypeOf<TesseraErrorCode>();
    expectTypeOf<'NETWORK'>().toMatchTypeOf<TesseraErrorCode>();
    expectTypeOf<'SOMETHING_ELSE'>().not.toMatchTypeOf<TesseraErrorCode>();
  });

  it('is disposable with await using', () => {
    expectTypeOf(tessera[Symbol.asyncDispose]).returns.toEqualTypeOf<Promise<void>>();
  });
});
