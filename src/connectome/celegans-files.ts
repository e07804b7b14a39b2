import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config/validate.ts';
import type { Experiment } from '../experiment/schema.ts';
import { connectomeLayer, parseConnectome, type Connectome } from './celegans.ts';

/** The package's copy of the dataset (data/celegans/README.md: sources, licence). */
export const CELEGANS_DIR = fileURLToPath(new URL('../../data/celegans/', import.meta.url));

let cached: Connectome | undefined;

/** The adult hermaphrodite connectome from data/celegans/ (parsed once per process). */
export function loadCelegans(): Connectome {
  cached ??= parseConnectome(readFileSync(`${CELEGANS_DIR}herm_full_edgelist.csv`, 'utf8'), readFileSync(`${CELEGANS_DIR}transmitters.csv`, 'utf8'));
  return cached;
}

/**
 * Generate the edge list (and neuron order) of every `connectome` wiring that has none, so the run,
 * its checkpoints and a browser page need no data files.
 */
export function inlineConnectomes(x: Experiment): Experiment {
  const ws = x.population.wiring;
  if (!ws?.some((w) => w.kind === 'connectome' && w.edges === undefined)) return x;
  const wiring = ws.map((w, i) => {
    if (w.kind !== 'connectome' || w.edges !== undefined) return w;
    try {
      const layer = connectomeLayer(loadCelegans(), w);
      return { ...w, edges: layer.edges, neurons: layer.neurons };
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigError(`population.wiring.${i}.${e.field}`, `population.wiring.${i}.${e.message}`);
      throw e;
    }
  });
  return { ...x, population: { ...x.population, wiring } };
}
