/**
 * Global setup: fails the test run if any test wrote into the repo's runs/ (tests write only into
 * temporary directories; see temp-cwd.ts).
 */
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const runs = fileURLToPath(new URL('../../runs', import.meta.url));

function snapshot(): string {
  try {
    return readdirSync(runs, { recursive: true, encoding: 'utf8' })
      .sort()
      .map((f) => `${f} ${statSync(`${runs}/${f}`).mtimeMs}`)
      .join('\n');
  } catch {
    return '(no runs/)';
  }
}

export default function setup(): () => void {
  const before = snapshot();
  return () => {
    if (snapshot() !== before) throw new Error(`a test wrote into the repo's runs/ (${runs}): tests must write only into temporary directories`);
  };
}
