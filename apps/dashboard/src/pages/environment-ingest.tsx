/**
 * An environment's browser-ingest settings: the origins whose pages may use its keys, and its own
 * rate limit per key. Saved together with one button (a list is edited as text, not per keystroke).
 */
import { useId, useState, type FormEvent } from 'react';
import type { Api } from '../api/client.ts';
import type { Environment } from '../api/types.ts';

/** One origin a line (commas work too); blank: any origin. */
function parseOrigins(text: string): string[] | null {
  const list = text
    .split(/[\n,]/)
    .map((o) => o.trim())
    .filter((o) => o !== '');
  return list.length === 0 ? null : list;
}

export function IngestSettings({
  api,
  environment,
  onSaved,
}: {
  api: Api;
  environment: Environment;
  onSaved: () => void;
}) {
  const [origins, setOrigins] = useState((environment.allowedOrigins ?? []).join('\n'));
  const [rate, setRate] = useState(environment.rateLimitPerKey === null ? '' : String(environment.rateLimitPerKey));
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  const ids = { origins: useId(), rate: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    setSaved(false);
    try {
      const updated = await api.updateEnvironment(environment.name, {
        allowedOrigins: parseOrigins(origins),
        rateLimitPerKey: rate.trim() === '' ? null : Number(rate),
      });
      // Show what the server stored: origins normalised (case, default ports, duplicates).
      setOrigins((updated.allowedOrigins ?? []).join('\n'));
      setRate(updated.rateLimitPerKey === null ? '' : String(updated.rateLimitPerKey));
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="Browser ingest">
      <label htmlFor={ids.origins}>Allowed origins</label>
      <textarea
        id={ids.origins}
        rows={3}
        value={origins}
        onChange={(e) => setOrigins(e.target.value)}
        placeholder="Any origin"
        spellCheck={false}
        aria-describedby={`${ids.origins}-hint`}
      />
      <p id={`${ids.origins}-hint`} className="field-hint">
        One origin a line, e.g. <code>https://app.example.com</code> or <code>https://*.example.com</code> (its
        subdomains). Browser requests from other sites are refused (<code>ORIGIN_NOT_ALLOWED</code>); backends and apps
        that send no <code>Origin</code> are not affected. Empty: pages on any site may send events.
      </p>
      <label htmlFor={ids.rate}>Rate limit per key</label>
      <input
        id={ids.rate}
        type="number"
        min={1}
        step={1}
        inputMode="numeric"
        value={rate}
        onChange={(e) => setRate(e.target.value)}
        placeholder="Server default"
        aria-describedby={`${ids.rate}-hint`}
      />
      <p id={`${ids.rate}-hint`} className="field-hint">
        Ingest requests a second per public key of this environment, bursts of twice that. Empty: the server’s{' '}
        <code>TESSERA_RATE_LIMIT_PER_KEY</code>.
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {saved && !error && <p role="status">Saved.</p>}
      <button type="submit" className="primary" disabled={saving}>
        {saving ? 'Saving…' : 'Save origins and rate limit'}
      </button>
    </form>
  );
}
