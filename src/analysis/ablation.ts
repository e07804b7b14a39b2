/**
 * Ablation of a trained network (docs/analysis.md): units silenced after training, the behaviour
 * measured over the same episodes (same seed: the same env starts and spike draws) as the intact
 * network, the conditions ranked by how much behaviour drops.
 */
import { scoreReturns } from '../connectome/worm-comparison.ts';
import { mean } from '../rules/reinforce.ts';
import { evaluate, type EvalOptions, type TrainedRun } from './evaluate.ts';

/**
 * A unit's class: the part of its name before '.' for generated names (`h0.3` -> `h0`); for
 * C. elegans names the name without its left/right, dorsal/ventral and number suffixes (`AVAL` ->
 * `AVA`, `SMDDL` -> `SMD`, `VA12` -> `VA`, `IL2DL` -> `IL2`); three-letter names stay (`AVL`).
 */
export function unitClass(name: string): string {
  if (name.includes('.')) return name.slice(0, name.indexOf('.'));
  let c = name.replace(/\d+$/, '');
  if (c !== name) return c;
  if (c.length >= 4 && /[LR]$/.test(c)) c = c.slice(0, -1);
  if (c.length >= 4 && /[DV]$/.test(c)) c = c.slice(0, -1);
  return c;
}

/** One ablation: a label and the units it silences. */
export interface AblationCondition {
  label: string;
  units: number[];
}

/** Behaviour of one condition over the evaluation's episodes. */
export interface Behaviour {
  meanReturn: number;
  /** Chemotaxis: mean end concentration and the fraction of episodes that end within the success radius. */
  endConcentration?: number;
  reached?: number;
}

export interface AblationRow extends AblationCondition, Behaviour {
  /** Intact minus ablated mean return (positive: behaviour dropped). */
  drop: number;
  /** Std over episodes of the paired differences (intact - ablated return). */
  dropStd: number;
  rank: number;
}

export interface AblationResult {
  env: string;
  episodes: number;
  seed: number;
  intact: Behaviour;
  rows: AblationRow[];
}

function behaviour(env: string, returns: number[]): Behaviour {
  const b: Behaviour = { meanReturn: mean(returns) };
  if (env === 'chemotaxis') {
    const s = scoreReturns(returns, returns.length, 'first');
    b.endConcentration = s.concentration;
    b.reached = s.success;
  }
  return b;
}

/** Evaluate the intact network and each condition over the same episodes; rows ranked by drop (largest first). */
export function ablate(
  run: TrainedRun,
  conditions: readonly AblationCondition[],
  o: Omit<EvalOptions, 'silence' | 'record' | 'inputs'>,
  onCondition?: (done: number, total: number) => void,
): AblationResult {
  const intact = evaluate(run, o).episodes.map((e) => e.return);
  const env = run.experiment.env!.name;
  onCondition?.(0, conditions.length);
  const rows = conditions.map((c, i): AblationRow => {
    const rs = evaluate(run, { ...o, silence: c.units }).episodes.map((e) => e.return);
    const d = rs.map((r, k) => intact[k]! - r);
    const dm = mean(d);
    onCondition?.(i + 1, conditions.length);
    return { ...c, ...behaviour(env, rs), drop: dm, dropStd: Math.sqrt(d.reduce((s, v) => s + (v - dm) ** 2, 0) / Math.max(1, d.length - 1)), rank: 0 };
  });
  rows.sort((a, b) => b.drop - a.drop);
  rows.forEach((r, i) => (r.rank = i + 1));
  return { env, episodes: o.episodes, seed: o.seed, intact: behaviour(env, intact), rows };
}

const f3 = (v: number | undefined) => (v === undefined ? '' : v.toFixed(3));

/** The ranked table as CSV. */
export function ablationCsv(r: AblationResult): string {
  const chem = r.intact.endConcentration !== undefined;
  const head = ['rank', 'condition', 'units', 'mean_return', 'drop', 'drop_std', ...(chem ? ['end_concentration', 'reached'] : [])];
  const lines = [head.join(','), ['0', 'intact', '0', String(r.intact.meanReturn), '0', '0', ...(chem ? [String(r.intact.endConcentration), String(r.intact.reached)] : [])].join(',')];
  for (const row of r.rows) lines.push([row.rank, `"${row.label}"`, row.units.length, row.meanReturn, row.drop, row.dropStd, ...(chem ? [row.endConcentration, row.reached] : [])].join(','));
  return lines.join('\n') + '\n';
}

/** The ranked table as Markdown. */
export function ablationMarkdown(r: AblationResult): string {
  const chem = r.intact.endConcentration !== undefined;
  const out = [
    `Ablation on ${r.env}: ${r.episodes} episodes per condition, seed ${r.seed} (every condition sees the same env starts and spike draws). Drop = intact minus ablated mean return, std over the paired episodes.`,
    '',
    `| rank | silenced | units | mean return | drop (std) |${chem ? ' end concentration | reached |' : ''}`,
    `|---|---|---|---|---|${chem ? '---|---|' : ''}`,
    `| - | intact | 0 | ${f3(r.intact.meanReturn)} | - |${chem ? ` ${f3(r.intact.endConcentration)} | ${f3(r.intact.reached)} |` : ''}`,
    ...r.rows.map(
      (row) =>
        `| ${row.rank} | ${row.label} | ${row.units.length} | ${f3(row.meanReturn)} | ${f3(row.drop)} (${f3(row.dropStd)}) |${chem ? ` ${f3(row.endConcentration)} | ${f3(row.reached)} |` : ''}`,
    ),
  ];
  return out.join('\n') + '\n';
}
