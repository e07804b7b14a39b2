/**
 * Every test file runs in its own temporary working directory, so `hedonist` runs started by tests
 * (default root `runs/`) write there and never into the repo's runs/. The repo's other top-level
 * entries are linked in, so relative paths such as `experiments/x.json` or `bin/hedonist.mjs`
 * still resolve. Removed when the test file's process exits.
 */
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'hedonist-test-'));
for (const e of readdirSync(repo)) if (e !== 'runs') symlinkSync(join(repo, e), join(cwd, e));
process.chdir(cwd);
process.on('exit', () => rmSync(cwd, { recursive: true, force: true }));
