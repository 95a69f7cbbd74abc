/** The admin API's JSON as the commands read it (dates arrive as ISO strings). */

export interface KeyPairJson {
  publicKey: string;
  /** Only in answers that create a pair, and in a reveal. */
  privateKey?: string;
  active: boolean;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface EnvironmentJson {
  id: string;
  name: string;
  identityVerification: 'required' | 'optional';
  allowLegacyTokens: boolean;
  /** null: any origin. */
  allowedOrigins: string[] | null;
  /** null: the server-wide TESSERA_RATE_LIMIT_PER_KEY. */
  rateLimitPerKey: number | null;
  createdAt: string;
  keyPairs?: KeyPairJson[];
}

export interface OperatorJson {
  id: string;
  email: string;
  createdAt: string;
  lastLoginAt: string | null;
}
