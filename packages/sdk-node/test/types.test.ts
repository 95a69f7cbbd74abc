// Runs the type tests (types.test-d.ts) with the TypeScript compiler, so `npm test` checks them too.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const typeTests = fileURLToPath(new URL('./types.test-d.ts', import.meta.url));

describe('public API types', () => {
  it('types.test-d.ts compiles under the repository settings', () => {
    const configPath = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json');
    if (!configPath) throw new Error('no tsconfig.json at the repository root');
    const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
    const program = ts.createProgram([typeTests], { ...options, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const report = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => root,
      getNewLine: () => '\n',
    });
    expect(report).toBe('');
  });
});
