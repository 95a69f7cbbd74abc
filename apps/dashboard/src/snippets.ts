/**
 * Ready-to-paste setup code for each SDK, filled in with an environment's public key and this
 * server's address. Private keys are never shown again after creation: backend snippets read
 * them from an environment variable.
 */
export interface SnippetInput {
  /** This server, e.g. `https://tessera.example.com`. */
  origin: string;
  environment: string;
  publicKey: string;
}

export interface Snippet {
  id: string;
  label: string;
  install: string;
  code: string;
}

const q = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c');

export function snippets({ origin, environment, publicKey }: SnippetInput): Snippet[] {
  const graphql = `${origin}/graphql`;
  return [
    {
      id: 'tessera-browser',
      label: '@tessera/browser',
      install: 'npm install @tessera/browser',
      code: `import { createClient } from '@tessera/browser';

const tessera = createClient({
  baseUri: ${q(origin)},
  publicKey: ${q(publicKey)},
  // After login, your backend mints an identity token for the user (see @tessera/node).
  identityTokenProvider: () => fetch('/api/tessera-token').then((r) => r.text()),
});

tessera.track('Viewed Pricing', { plan: 'pro' });
// After login:  tessera.setIdentity(user.id, token);   After logout:  tessera.reset();`,
    },
    {
      id: 'tessera-node',
      label: '@tessera/node',
      install: 'npm install @tessera/node',
      code: `import { createClient } from '@tessera/node';

const tessera = createClient({
  baseUri: ${q(origin)},
  publicKey: ${q(publicKey)},
  privateKey: process.env.TESSERA_PRIVATE_KEY, // the private key shown once when the pair was created
  targetEnvironment: ${q(environment)},
});

await tessera.identify('user-123', { email: 'ada@example.com', name: 'Ada Lovelace' });
tessera.track('Signed Up', 'user-123', { plan: 'pro' });
const token = tessera.generateIdentityToken('user-123'); // hand it to the frontend`,
    },
    {
      id: 'dashx-browser',
      label: '@dashx/browser',
      install: 'npm install @dashx/browser',
      code: `import DashX from '@dashx/browser';

const dashx = DashX.createClient({
  baseUri: ${q(graphql)},
  publicKey: ${q(publicKey)},
  targetEnvironment: ${q(environment)},
});

dashx.track('Viewed Pricing', { plan: 'pro' });
// After login:  dashx.setIdentity(user.id, identityToken);   After logout:  dashx.reset();`,
    },
    {
      id: 'dashx-node',
      label: '@dashx/node',
      install: 'npm install @dashx/node',
      code: `import DashX from '@dashx/node';

const dashx = DashX.createClient({
  baseUri: ${q(graphql)},
  publicKey: ${q(publicKey)},
  privateKey: process.env.DASHX_PRIVATE_KEY, // the private key shown once when the pair was created
  targetEnvironment: ${q(environment)},
});

await dashx.identify('user-123', { email: 'ada@example.com', firstName: 'Ada' });
await dashx.track('Signed Up', 'user-123', { plan: 'pro' });`,
    },
  ];
}
