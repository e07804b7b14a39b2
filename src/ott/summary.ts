/**
 * What an Ott run reports, built on the host from the episode log: one metrics record per finished
 * episode, and per replica the protocol's numbers (trials, solved, first crossing of the threshold).
 */
import { replicaRewardMode, type OttConfig } from './config.ts';
import type { OttEpisodeRecord } from './network.ts';
import { OTT_TERMS } from './rewards.ts';

export interface OttReplicaSummary {
  replica: number;
  /** The protocol's number: index of the last episode run (stop rule met or cap reached). */
  trials: number;
  /** True when the stop rule (episode > minEpisodes and trailing mean > threshold) was met. */
  solved: boolean;
  /** First episode whose trailing-window mean return exceeded the threshold; null if none. */
  firstAboveThreshold: number | null;
  /** Trailing-window mean return at the last episode. */
  finalMean: number;
  /** Best trailing-window mean seen. */
  bestMean: number;
}

/** The summary over replicas of a finished (or stopped) run. */
export interface OttRunSummary {
  config: OttConfig;
  replicas: OttReplicaSummary[];
  trialsMean: number;
  /** Sample standard deviation (n - 1) over replicas; 0 for one replica. */
  trialsStd: number;
  /** Mean / std of firstAboveThreshold over the replicas that crossed; null if none did. */
  firstAboveMean: number | null;
  firstAboveStd: number | null;
  /** Replicas whose trailing mean ever exceeded the threshold. */
  crossedCount: number;
  solvedCount: number;
  /** Agent-environment steps of the logged episodes (autoreset steps not counted). */
  episodeSteps: number;
}

/** Mean and sample (n - 1) standard deviation; std 0 for one value, NaN for none. */
export function meanStd(xs: number[]): [number, number] {
  if (xs.length === 0) return [NaN, NaN];
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return [mean, 0];
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return [mean, Math.sqrt(v)];
}

/**
 * One episode's metrics record: episode, return, steps, mean100 (the trailing-window mean), the
 * firing rate of each layer (firing_rate_l1 .. firing_rate_out), the mean of each reward term
 * (reward_task ...) and bio_only (1 when the episode learned from the biological terms alone).
 */
export function ottEpisodeMetrics(c: OttConfig, rec: OttEpisodeRecord): Record<string, number> {
  const m: Record<string, number> = { episode: rec.episode, return: rec.return, steps: rec.steps, mean100: rec.mean };
  for (let l = 0; l <= c.layers; l++) m[l === c.layers ? 'firing_rate_out' : `firing_rate_l${l + 1}`] = rec.firing[l]!;
  OTT_TERMS.forEach((name, k) => (m[`reward_${name}`] = rec.terms[k]!));
  const mode = replicaRewardMode(c, rec.replica);
  m.bio_only = mode === 'bio' || (mode === 'bio_then_all' && rec.episode <= c.bioEpisodes) ? 1 : 0;
  return m;
}

/** Folds episode records into the per-replica summaries; its state is plain JSON (checkpoints). */
export class OttProtocol {
  replicas: OttReplicaSummary[];
  finished = 0;
  episodes = 0;
  episodeSteps = 0;

  constructor(readonly c: OttConfig) {
    this.replicas = Array.from({ length: c.replicas }, (_, r) => ({ replica: r, trials: 0, solved: false, firstAboveThreshold: null, finalMean: 0, bestMean: -Infinity }));
  }

  /** Take one record; false when its replica had already finished (nothing is counted). */
  add(rec: OttEpisodeRecord): boolean {
    const sum = this.replicas[rec.replica]!;
    if (sum.trials > 0) return false;
    this.episodes++;
    this.episodeSteps += rec.steps;
    sum.finalMean = rec.mean;
    sum.bestMean = Math.max(sum.bestMean, rec.mean);
    if (sum.firstAboveThreshold === null && rec.mean > this.c.solveThreshold) sum.firstAboveThreshold = rec.episode;
    if (rec.end !== 0) {
      sum.trials = rec.episode;
      sum.solved = rec.end === 1;
      this.finished++;
    }
    return true;
  }

  summary(): OttRunSummary {
    const s = this.replicas;
    const [trialsMean, trialsStd] = meanStd(s.map((x) => x.trials));
    const crossed = s.filter((x) => x.firstAboveThreshold !== null).map((x) => x.firstAboveThreshold!);
    const [fm, fs] = meanStd(crossed);
    return {
      config: this.c,
      replicas: s.map((x) => ({ ...x })),
      trialsMean,
      trialsStd,
      firstAboveMean: crossed.length ? fm : null,
      firstAboveStd: crossed.length ? fs : null,
      crossedCount: crossed.length,
      solvedCount: s.filter((x) => x.solved).length,
      episodeSteps: this.episodeSteps,
    };
  }

  save(): unknown {
    // -Infinity (no episode yet) is not JSON: stored as null
    return {
      replicas: this.replicas.map((x) => ({ ...x, bestMean: Number.isFinite(x.bestMean) ? x.bestMean : null })),
      finished: this.finished,
      episodes: this.episodes,
      episodeSteps: this.episodeSteps,
    };
  }

  load(state: unknown): void {
    const st = state as { replicas: (Omit<OttReplicaSummary, 'bestMean'> & { bestMean: number | null })[]; finished: number; episodes: number; episodeSteps: number };
    this.replicas = st.replicas.map((x) => ({ ...x, bestMean: x.bestMean ?? -Infinity }));
    this.finished = st.finished;
    this.episodes = st.episodes;
    this.episodeSteps = st.episodeSteps;
  }
}
