#!/usr/bin/env node
// The `tessera` command. Tessera runs its TypeScript sources directly through tsx (see docs/decisions.md).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
