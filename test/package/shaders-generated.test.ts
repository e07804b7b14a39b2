import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SHADERS } from '../../src/gpu/shaders.generated.ts';

const root = new URL('../../', import.meta.url).pathname;

describe("src/gpu/shaders.generated.ts (the browser bundle's WGSL)", () => {
  it('is current with shaders/*.wgsl (else: npm run gen:shaders)', () => {
    // --check exits 1 (execFileSync throws) when the generated module differs from the files.
    execFileSync('node', [`${root}scripts/build/gen-shaders.mjs`, '--check'], { stdio: 'pipe' });
    const files = readdirSync(`${root}shaders`)
      .filter((f) => f.endsWith('.wgsl'))
      .map((f) => f.slice(0, -5))
      .sort();
    expect(Object.keys(SHADERS).sort()).toEqual(files);
  });

  it('library code uses no bundler-only API (import.meta.glob, ?raw imports)', () => {
    const grep = spawnSync('grep', ['-rlE', String.raw`import\.meta\.glob|\?raw['"]`, `${root}src`], { encoding: 'utf8' });
    expect(grep.stdout.trim()).toBe('');
    expect(grep.status).toBe(1); // grep: 1 = no match, 2 = error
  });
});
