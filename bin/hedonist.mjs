#!/usr/bin/env node
// The hedonist CLI. An installed package runs the built JavaScript in dist/; a development checkout
// (src/ present, tsx installed) runs the TypeScript sources through tsx's loader, so no build step
// stands between an edit and a run. HEDONIST_DIST=1 forces the built files.
import { existsSync } from 'node:fs';

const src = new URL('../src/cli/main.ts', import.meta.url);
const tsx = process.env.HEDONIST_DIST !== '1' && existsSync(src) ? await import('tsx/esm/api').catch(() => undefined) : undefined;
if (tsx) {
  tsx.register();
  await import(src.href);
} else {
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
