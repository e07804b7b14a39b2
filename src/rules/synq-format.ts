/** Human-readable summaries of the synaptic-Q and GD runs (the `train` aliases and `hedonist run`). */
import type { GdMnistSummary, SynqBoundarySummary, SynqMnistSummary } from './synq-decoders.ts';

const fmt = (xs: number[]) => xs.map((x) => (100 * x).toFixed(2) + '%').join(' ');

type Run = { backend: string; runDir: string; checkpoint?: string; savedTable?: string; stopped?: boolean; signal?: string };

export function formatSynqBoundary(s: SynqBoundarySummary & Run): string {
  return [
    `synq-boundary on ${s.backend}: ${s.replicas} replica(s) x ${s.iterations} iterations, ${s.wallSeconds.toFixed(1)} s (${s.iterationsPerSecond.toFixed(0)} it/s), policy ${s.trainPolicy ? 'trained by TD' : 'frozen'}${s.stopped ? ` — stopped by ${s.signal ?? 'signal'}` : ''}`,
    `accuracy: initial ${fmt(s.initialAccuracy)} -> final ${fmt(s.finalAccuracy)} (majority class ${fmt(s.majorityFraction)})`,
    `first iteration reaching 97.7%: ${s.firstReached['0.977']!.map((x) => x ?? 'never').join(' ')}`,
    ...(s.savedTable ? [`table saved to ${s.savedTable}`] : []),
    ...(s.checkpoint ? [`checkpoint: ${s.checkpoint}`] : []),
    `metrics: ${s.runDir}/metrics.jsonl`,
  ].join('\n');
}

export function formatSynqMnist(s: SynqMnistSummary & Run): string {
  return [
    `synq-mnist (${s.hidden} hidden) on ${s.backend}: ${s.replicas} replica(s) x ${s.iterationsRun} iterations${s.iterationsRun < s.iterations && !s.stopped ? ` (of ${s.iterations}: every replica failed the start check)` : ''}${s.resumedFrom !== undefined ? ` (resumed at ${s.resumedFrom})` : ''}, ${s.wallSeconds.toFixed(1)} s (${s.iterationsPerSecond.toFixed(1)} it/s)${s.stopped ? ` — stopped by ${s.signal ?? 'signal'}` : ''}`,
    `validation accuracy: ${fmt(s.validAccuracy)}`,
    ...(s.failCheck
      ? [
          `start check at ${s.failCheck.iteration}: training accuracy ${fmt(s.failCheck.trainAccuracy)} -> ${s.failCheck.failed.map((x) => (x ? 'FAILED' : 'ok')).join(' ')} (threshold ${fmt([s.failCheck.threshold])})`,
        ]
      : []),
    ...(s.checkpoint ? [`checkpoint: ${s.checkpoint} (go on with --resume ${s.runDir} --steps N)`] : []),
    `metrics: ${s.runDir}/metrics.jsonl`,
  ].join('\n');
}

export function formatGdMnist(s: GdMnistSummary & Run): string {
  return [
    `gd-mnist (${s.hidden} hidden, ${s.init} init) on ${s.backend}: ${s.replicas} run(s)${s.firstReplica ? ` (replicas ${s.firstReplica}..${s.firstReplica + s.replicas - 1})` : ''} x ${s.iterations} steps, ${s.wallSeconds.toFixed(1)} s${s.stopped ? ` — stopped by ${s.signal ?? 'signal'}` : ''}`,
    `validation accuracy: ${fmt(s.validAccuracy)}`,
    ...(s.checkpoint ? [`checkpoint: ${s.checkpoint}`] : []),
    `metrics: ${s.runDir}/metrics.jsonl`,
  ].join('\n');
}

/** The summary of any synaptic-Q or GD run, by its task. */
export function formatSynqRun(s: Record<string, unknown>): string {
  if (s.task === 'synq-boundary') return formatSynqBoundary(s as unknown as SynqBoundarySummary & Run);
  if (s.task === 'synq-mnist') return formatSynqMnist(s as unknown as SynqMnistSummary & Run);
  return formatGdMnist(s as unknown as GdMnistSummary & Run);
}
