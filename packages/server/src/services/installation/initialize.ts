/**
 * `tessera init`: an installation nobody has set up yet gets an admin API token, its first
 * operator and its environments with a key pair each — in one transaction, so a failure leaves
 * nothing behind. Environments the first start already made (`tessera serve` creates
 * `production` and `staging` on an empty database) are taken over as they are, so init works
 * before the first start and after it, and the output always holds a working key pair for each.
 */
import { ErrorCode } from '@tessera/protocol';
import { TesseraError, invalidInput } from '../../errors.ts';
import type { Database, Queryable } from '../../storage/database.ts';
import { validateEnvironmentName, type Environment, type EnvironmentService, type KeyPair } from '../environments.ts';
import type { Operator, OperatorService } from '../operators.ts';
import type { AdminToken, AdminTokenService } from './admin-tokens.ts';
import { lockInstallation } from './lock.ts';

/** What `init` sets up when no environment is named: the same as the first start. */
export const defaultEnvironmentNames: readonly string[] = ['production', 'staging'];
/** More than this many at once is a typo or a loop, not a set-up. */
const MAX_ENVIRONMENTS = 20;

export interface InitOptions {
  /** The first operator's email and password (at least 10 characters). */
  email: string;
  password: string;
  /** Environments to set up. Default `production` and `staging`. */
  environments?: readonly string[];
}

/** Everything `init` set up; the admin token is shown this once. */
export interface Initialized {
  adminToken: AdminToken & { token: string };
  operator: Operator;
  /** `created` is false for an environment that existed (made by the first start): its newest active key pair. */
  environments: Array<{ environment: Environment; keyPair: KeyPair; created: boolean }>;
}

export class InstallationService {
  constructor(
    private readonly db: Database,
    private readonly environments: EnvironmentService,
    private readonly operators: OperatorService,
    private readonly adminTokens: AdminTokenService,
  ) {}

  /**
   * Sets up an installation that has no operator and no admin token yet.
   * @throws TesseraError CONFLICT when it has an operator or an admin token (it was set up);
   *   INVALID_INPUT for a bad email, password or environment name.
   * @example const { adminToken, environments } = await installation.initialize({ email, password });
   */
  async initialize(options: InitOptions): Promise<Initialized> {
    const names = options.environments?.length ? [...options.environments] : [...defaultEnvironmentNames];
    if (names.length > MAX_ENVIRONMENTS) throw invalidInput(`At most ${MAX_ENVIRONMENTS} environments at once`);
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated !== undefined) throw invalidInput(`The environment "${repeated}" is named twice`);
    names.forEach(validateEnvironmentName);
    const operator = await this.operators.prepare(options.email, options.password);

    return this.db.transaction(async (tx) => {
      // The first start and other inits wait here; whoever comes second sees what the first made.
      await lockInstallation(tx);
      await refuseIfSetUp(tx);
      const adminToken = await this.adminTokens.create(tx, 'tessera init');
      const created: Initialized = {
        adminToken,
        operator: await this.operators.insert(tx, operator),
        environments: [],
      };
      for (const name of names) created.environments.push(await this.environment(tx, name));
      return created;
    });
  }

  private async environment(tx: Queryable, name: string): Promise<Initialized['environments'][number]> {
    const existing = await this.environments.findIn(tx, name);
    if (!existing) return { ...(await this.environments.createIn(tx, name)), created: true };
    return { environment: existing, keyPair: await this.environments.usableKeyPairIn(tx, existing), created: false };
  }
}

/** Set up means someone claimed it: an operator (init, the setup page, the CLI) or an admin token exists. */
async function refuseIfSetUp(tx: Queryable): Promise<void> {
  const [row] = await tx.query<{ operators: number; tokens: number }>(
    `SELECT (SELECT count(*) FROM operators)::int AS operators, (SELECT count(*) FROM admin_tokens)::int AS tokens`,
  );
  if (!row || row.operators + row.tokens === 0) return;
  const found = [plural(row.operators, 'operator'), plural(row.tokens, 'admin token')].filter(Boolean);
  throw new TesseraError(
    ErrorCode.CONFLICT,
    `This installation is already set up (${found.join(', ')}); init runs once. ` +
      'Add operators with `tessera operators create`, environments with `tessera environments create`; ' +
      "show an environment's keys with `tessera keys reveal --environment NAME`.",
  );
}

function plural(n: number, noun: string): string | undefined {
  return n === 0 ? undefined : `${n} ${noun}${n === 1 ? '' : 's'}`;
}
