// Setting up an installation: init is all or nothing, takes over the first start's environments,
// and the first start adds nothing after init.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/services/index.ts';
import { bootstrap } from '../../src/services/installation/bootstrap.ts';
import type { Database, Queryable } from '../../src/storage/database.ts';
import { openDatabase } from '../../src/storage/open.ts';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/database.ts';

const owner = { email: 'owner@example.com', password: 'a long passphrase' };

describe(`installation set-up (${usingPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let testDb: TestDatabase;
  let db: Database;
  let services: Services;
  beforeEach(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase(testDb.url);
    services = createServices(db);
  });
  afterEach(async () => {
    await db.close();
    await testDb.drop();
  });

  const counts = async () =>
    (
      await db.query(
        `SELECT (SELECT count(*) FROM projects)::int AS projects, (SELECT count(*) FROM environments)::int AS environments,
                (SELECT count(*) FROM key_pairs)::int AS "keyPairs", (SELECT count(*) FROM operators)::int AS operators,
                (SELECT count(*) FROM admin_tokens)::int AS tokens`,
      )
    )[0];

  it('leaves nothing behind when a step fails midway', async () => {
    // The second environment's key pair fails, after the token, the operator and the first one.
    let keyPairs = 0;
    const failing: Database = {
      ...db,
      transaction: (fn) =>
        db.transaction((tx) =>
          fn({
            query: (sql: string, params?: readonly unknown[], name?: string) => {
              if (sql.includes('INSERT INTO key_pairs') && ++keyPairs === 2) throw new Error('disk full');
              return tx.query(sql, params, name);
            },
          } as Queryable),
        ),
    };
    await expect(createServices(failing).installation.initialize(owner)).rejects.toThrow('disk full');
    expect(keyPairs).toBe(2);
    expect(await counts()).toEqual({ projects: 0, environments: 0, keyPairs: 0, operators: 0, tokens: 0 });
    // Nothing stands in the way of a second try.
    expect((await services.installation.initialize(owner)).environments).toHaveLength(2);
  });

  it('takes over the environments of the first start with their keys', async () => {
    const first = await bootstrap(db, services.environments);
    const done = await services.installation.initialize({ ...owner, environments: ['production', 'qa'] });
    expect(done.environments.map((e) => [e.environment.name, e.created])).toEqual([
      ['production', false],
      ['qa', true],
    ]);
    expect(done.environments[0]!.keyPair.privateKey).toBe(first!.environments[0]!.keyPair.privateKey);
    await expect(services.installation.initialize(owner)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('the first start adds nothing after init, even when init made other environments', async () => {
    await services.installation.initialize({ ...owner, environments: ['live'] });
    expect(await bootstrap(db, services.environments)).toBeUndefined();
    expect((await services.environments.list()).map((e) => e.name)).toEqual(['live']);
  });

  it('a first start and an init at the same moment make each environment once', async () => {
    const [, done] = await Promise.all([bootstrap(db, services.environments), services.installation.initialize(owner)]);
    expect((await services.environments.list()).map((e) => e.name).sort()).toEqual(['production', 'staging']);
    expect(await counts()).toMatchObject({ projects: 1, environments: 2, keyPairs: 2, operators: 1, tokens: 1 });
    expect(done.environments).toHaveLength(2);
  });

  it('an operator made by hand counts as set up', async () => {
    await services.operators.create('first@example.com', 'a long passphrase');
    await expect(services.installation.initialize(owner)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already set up \(1 operator\)/),
    });
  });
});
