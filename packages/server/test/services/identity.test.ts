import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/services/caller.ts';
import type { Environment } from '../../src/services/environments.ts';
import { resolveSubject } from '../../src/services/identity.ts';

const env = (identityVerification: 'required' | 'optional'): Environment => ({
  id: 'env-id',
  projectId: 'p',
  name: 'production',
  identityVerification,
  allowLegacyTokens: false,
  allowedOrigins: null,
  rateLimitPerKey: null,
  createdAt: new Date(),
});
const caller = (over: Partial<Caller> = {}): Caller => ({
  environment: env('required'),
  backend: false,
  tokenUid: undefined,
  ip: '127.0.0.1',
  ...over,
});
const fields = { uid: 'accountUid', anonymousUid: 'accountAnonymousUid' };

describe('resolveSubject', () => {
  it('a visitor acts on its own account', () => {
    expect(resolveSubject(caller(), undefined, 'anon-1', fields)).toEqual({
      key: { kind: 'VISITOR', anonymousUid: 'anon-1' },
      verified: true,
      mergeAnonymousUid: undefined,
    });
  });

  it('a token makes the caller its user and merges the visitor', () => {
    expect(resolveSubject(caller({ tokenUid: 'u1' }), 'u1', 'anon-1', fields)).toEqual({
      key: { kind: 'USER', uid: 'u1' },
      verified: true,
      mergeAnonymousUid: 'anon-1',
    });
    // No uid in the call (browser identify({...})): still the token's user.
    expect(resolveSubject(caller({ tokenUid: 'u1' }), null, 'anon-1', fields).key).toEqual({ kind: 'USER', uid: 'u1' });
  });

  it('refuses a uid that differs from the token', () => {
    expect(() => resolveSubject(caller({ tokenUid: 'u1' }), 'u2', undefined, fields)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining('"u1"') }),
    );
  });

  it('refuses a uid without a token where verification is required', () => {
    expect(() => resolveSubject(caller(), 'u1', 'anon-1', fields)).toThrow(
      expect.objectContaining({ code: 'UNAUTHORIZED', message: expect.stringContaining('identity token is required') }),
    );
  });

  it('accepts it unverified, without merging, where verification is optional', () => {
    expect(resolveSubject(caller({ environment: env('optional') }), 'u1', 'anon-1', fields)).toEqual({
      key: { kind: 'USER', uid: 'u1' },
      verified: false,
      mergeAnonymousUid: undefined,
    });
  });

  it('lets the backend name any account', () => {
    const backend = caller({ backend: true });
    expect(resolveSubject(backend, 42, undefined, fields).key).toEqual({ kind: 'USER', uid: '42' });
    expect(resolveSubject(backend, undefined, 'anon-9', fields).key).toEqual({
      kind: 'VISITOR',
      anonymousUid: 'anon-9',
    });
    expect(resolveSubject(backend, 'u1', 'anon-9', fields).mergeAnonymousUid).toBe('anon-9');
  });

  it('needs at least one id, and refuses placeholders', () => {
    expect(() => resolveSubject(caller(), undefined, null, fields)).toThrow(/accountUid or accountAnonymousUid/);
    expect(() => resolveSubject(caller({ backend: true }), 'undefined', undefined, fields)).toThrow(/not a valid id/);
  });
});
