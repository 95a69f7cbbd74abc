/** A key pair with its private key, shown with copy buttons: after creating it, or on an explicit reveal. */
import type { KeyPair } from '../api/types.ts';
import { CopyButton } from './copy-button.tsx';

export interface KeyRevealProps {
  pair: KeyPair;
  onDone: () => void;
  /** Default "New key pair". */
  title?: string;
  /** Prefix of the keys' test ids: `new` gives `new-public-key` and `new-private-key`. Default `new`. */
  testId?: string;
}

export function KeyReveal({ pair, onDone, title = 'New key pair', testId = 'new' }: KeyRevealProps) {
  return (
    <div className="card reveal" role="region" aria-label={title}>
      <h2>{title}</h2>
      <p>
        <strong>Keep the private key secret.</strong> It belongs on your backend only (for example in{' '}
        <code>TESSERA_PRIVATE_KEY</code>), never in a browser or app: whoever has it can write any account and sign
        identity tokens. Copy it now; it can be shown again from Environments, after a confirmation.
      </p>
      <dl className="traits">
        <dt>Public key</dt>
        <dd>
          <code className="break" data-testid={`${testId}-public-key`}>
            {pair.publicKey}
          </code>{' '}
          <CopyButton text={pair.publicKey} />
        </dd>
        <dt>Private key</dt>
        <dd>
          <code className="break secret" data-testid={`${testId}-private-key`}>
            {pair.privateKey}
          </code>{' '}
          <CopyButton text={pair.privateKey ?? ''} label="Copy private key" />
        </dd>
      </dl>
      <button type="button" onClick={onDone}>
        {testId === 'new' ? 'I have saved it' : 'Hide'}
      </button>
    </div>
  );
}
