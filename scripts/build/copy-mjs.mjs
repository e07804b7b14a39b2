#!/usr/bin/env node
// npm run build: copies src/**/*.mjs (the worker threads' start-up files, which tsc does not emit)
// into dist/ at the same paths.
import { cpSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
for (const f of readdirSync(`${root}src`, { recursive: true })) {
  if (String(f).endsWith('.mjs')) cpSync(`${root}src/${f}`, `${root}dist/${f}`);
}
