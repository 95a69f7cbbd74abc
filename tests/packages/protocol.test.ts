// @tessera/protocol from its tarball: CommonJS and ES module consumers see the same values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, type Project } from './helpers/project.ts';

describe('@tessera/protocol installed from its tarball', () => {
  let project: Project;
  beforeAll(async () => {
    project = await createProject(['@tessera/protocol']);
  });
  afterAll(() => project?.remove());

  it('loads with require() and with import under plain Node', async () => {
    const script = (load: string) =>
      `${load}.then((p) => console.log(JSON.stringify([p.ErrorCode.INVALID_INPUT, p.Limits.maxBatchItems, p.httpStatusOf.RATE_LIMITED])))`;
    const cjs = await project.exec(process.execPath, ['-e', script("Promise.resolve(require('@tessera/protocol'))")]);
    const esm = await project.exec(process.execPath, [
      '--input-type=module',
      '-e',
      script("import('@tessera/protocol')"),
    ]);
    expect(JSON.parse(cjs.stdout)).toEqual(['INVALID_INPUT', 1000, 429]);
    expect(JSON.parse(esm.stdout)).toEqual(JSON.parse(cjs.stdout));
  });
});
