// publint and arethetypeswrong on every packed tarball: what `npm run check:packages` runs.
import { describe, expect, inject, it } from 'vitest';
import { checkTarball } from '../../scripts/check-packages.mjs';

describe('the packed packages pass the field checkers', () => {
  for (const [name, tarball] of Object.entries(inject('tarballs'))) {
    it(`${name}: publint --strict and arethetypeswrong report nothing`, () => {
      for (const { check, ok, output } of checkTarball(name, tarball)) {
        expect(ok, `${check} on ${name}:\n${output}`).toBe(true);
      }
    });
  }
});
