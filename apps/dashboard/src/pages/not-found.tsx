/** A path the dashboard does not know. */
import { Link } from '../router.tsx';

export function NotFound() {
  return (
    <section className="state empty">
      <h1>Page not found</h1>
      <p className="state-hint">
        This address is not part of the dashboard. <Link to="/">Go to the overview</Link>.
      </p>
    </section>
  );
}
