import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../config/validate.ts';
import type { Experiment } from '../experiment/schema.ts';
import { inlineConnectomes } from '../connectome/celegans-files.ts';

/**
 * Read the files an experiment names (edge lists; connectome wirings from data/celegans/) relative to the experiment file's folder and put
 * their text into the experiment, so the run, its checkpoints and a browser page need nothing else.
 */
export function inlineFiles(x: Experiment, experimentFile: string): Experiment {
  const wiring = x.population.wiring?.map((w, i) => {
    if (w.kind !== 'edge-list' || w.file === undefined) return w;
    const path = resolve(dirname(experimentFile), w.file);
    let edges: string;
    try {
      edges = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigError(`population.wiring.${i}.file`, `population.wiring.${i}.file: cannot read '${path}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const { file: _file, ...rest } = w;
    return { ...rest, edges };
  });
  return inlineConnectomes(wiring ? { ...x, population: { ...x.population, wiring } } : x);
}
