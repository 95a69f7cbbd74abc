/**
 * "Reveal private key…": asks first (a confirm dialog), then fetches the environment's active key
 * pairs with their private keys. The keys live only in the caller's state, never in a URL or storage.
 */
import { useState } from 'react';
import type { Api } from '../api/client.ts';
import type { KeyPair } from '../api/types.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { KeyReveal } from './key-reveal.tsx';

export interface RevealKeysProps {
  api: Api;
  environment: string;
  onRevealed: (environment: string, keyPairs: KeyPair[]) => void;
}

export function RevealKeysButton({ api, environment, onRevealed }: RevealKeysProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const reveal = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { keyPairs } = await api.revealKeyPairs(environment);
      setOpen(false);
      onRevealed(environment, keyPairs);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="small"
        onClick={() => setOpen(true)}
        aria-label={`Reveal private key of ${environment}`}
      >
        Reveal private key…
      </button>
      <ConfirmDialog
        open={open}
        title={`Reveal the private key of ${environment}?`}
        confirmLabel="Reveal private key"
        busy={busy}
        error={error}
        onConfirm={() => void reveal()}
        onCancel={() => {
          setOpen(false);
          setError(undefined);
        }}
      >
        <p>
          The private key lets a backend write any account of <strong>{environment}</strong> and sign identity tokens.
          Make sure nobody else can see your screen. It is shown on this page until you hide it or leave.
        </p>
      </ConfirmDialog>
    </>
  );
}

/** The revealed pairs, one card each (two while a rotation is under way). */
export function RevealedKeys({
  revealed,
  onDone,
}: {
  revealed: { environment: string; keyPairs: KeyPair[] };
  onDone: () => void;
}) {
  if (revealed.keyPairs.length === 0) {
    return (
      <p className="notice" role="status">
        <strong>{revealed.environment}</strong> has no active key pair: create one on its page.{' '}
        <button type="button" className="small" onClick={onDone}>
          OK
        </button>
      </p>
    );
  }
  return (
    <>
      {revealed.keyPairs.map((pair) => (
        <KeyReveal
          key={pair.publicKey}
          pair={pair}
          onDone={onDone}
          title={`Key pair of ${revealed.environment}`}
          testId="revealed"
        />
      ))}
    </>
  );
}
