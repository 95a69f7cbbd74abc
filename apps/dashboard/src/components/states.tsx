/** Loading, empty and error states that say what is happening and what to do. */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="state loading" role="status">
      {label}
    </p>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state empty">
      <p className="state-title">{title}</p>
      {children && <div className="state-hint">{children}</div>}
    </div>
  );
}

/** What an error means for the operator, and what to try. */
export function explain(error: Error): { title: string; hint: string } {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'NETWORK':
        return {
          title: 'The server cannot be reached',
          hint: 'Check that Tessera is running and your network is up, then retry.',
        };
      case 'NOT_FOUND':
        return { title: 'Not found', hint: `${error.message}. It may have been deleted; go back and pick another.` };
      case 'UNAVAILABLE':
        return {
          title: 'The database is unavailable',
          hint: 'Tessera cannot reach its database right now. Retry in a few seconds.',
        };
      case 'UNAUTHORIZED':
        return { title: 'Signed out', hint: 'Your session has ended. Sign in again.' };
      case 'FORBIDDEN':
        return { title: 'Refused', hint: `${error.message}.` };
      case 'RATE_LIMITED':
        return { title: 'Too many attempts', hint: error.message };
      default:
        return { title: 'Something went wrong', hint: error.message };
    }
  }
  return { title: 'Something went wrong', hint: error.message };
}

export function ErrorState({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { title, hint } = explain(error);
  return (
    <div className="state error" role="alert">
      <p className="state-title">{title}</p>
      <p className="state-hint">{hint}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
