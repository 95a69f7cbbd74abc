/** A new key pair's private key, shown this once, with a copy button. */
import type { KeyPair } from '../api/types.ts';
import { CopyButton } from './copy-button.tsx';

export function KeyReveal({ pair, onDone }: { pair: KeyPair; onDone: () => void }) {
  return (
    <div className="card reveal" role="region" aria-label="New key pair">
      <h2>New key pair</h2>
      <p>
        <strong>Copy the private key now.</strong> It is shown only this once; Tessera never displays it again. Keep it
        on your backend (for example in <code>TESSERA_PRIVATE_KEY</code>), never in a browser or app.
      </p>
      <dl className="traits">
        <dt>Public key</dt>
        <dd>
          <code className="break" data-testid="new-public-key">
            {pair.publicKey}
          </code>{' '}
          <CopyButton text={pair.publicKey} />
        </dd>
        <dt>Private key</dt>
        <dd>
          <code className="break secret" data-testid="new-private-key">
            {pair.privateKey}
          </code>{' '}
          <CopyButton text={pair.privateKey ?? ''} label="Copy private key" />
        </dd>
      </dl>
      <button type="button" onClick={onDone}>
        I have saved it
      </button>
    </div>
  );
}
