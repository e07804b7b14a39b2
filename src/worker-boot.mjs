// The one start-up of a worker thread's module: `npm run build` puts the compiled .js beside this
// file in dist/ (scripts/build/copy-mjs.mjs copies the .mjs files there); a checkout has only the
// .ts source, loaded through tsx's loader as bin/hedonist.mjs does.
import { existsSync } from 'node:fs';

/** Imports `stem` (a path relative to `from`, without extension) as built .js, else as .ts through tsx. */
export async function bootModule(from, stem) {
  const js = new URL(`${stem}.js`, from);
  if (existsSync(js)) return import(js.href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL(`${stem}.ts`, from).href);
}
