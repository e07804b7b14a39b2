import cliProgress from 'cli-progress';

/** A progress reporter: a cli-progress bar on a TTY (stderr), nothing otherwise. */
export interface Progress {
  /** `unit` names what done and total count (episodes, iterations, ...); it may be given on any update. */
  update(done: number, total: number, payload?: Record<string, string | number>, unit?: string): void;
  stop(): void;
}

/** Seconds as `1h02m`, `3m05s` or `42s`. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const t = Math.round(s);
  if (t >= 3600) return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
  if (t >= 60) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${t}s`;
}

/**
 * Time left at the whole run's mean rate so far (work since the first update over the time since
 * it): steadier than a window of the last updates, which arrive in bursts, one per chunk read back.
 * Unknown ('?') until 2 s and some work have passed.
 */
export function etaSeconds(start: { t: number; done: number }, now: number, done: number, total: number): number {
  const dt = (now - start.t) / 1000;
  const work = done - start.done;
  if (dt < 2 || work <= 0) return Number.NaN;
  return ((total - done) * dt) / work;
}

export function makeProgress(label: string, enabled = Boolean(process.stderr.isTTY), unit = 'steps'): Progress {
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} |{bar}| {percentage}% {value}/{total} {unit} | {info} | {duration_formatted} elapsed, eta {left}`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let start: { t: number; done: number } | undefined;
  let named = unit;
  return {
    update(done, total, payload = {}, u) {
      if (u) named = u;
      const info =
        Object.entries(payload)
          .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(1) : v}`)
          .join(' ') || '-';
      const now = performance.now();
      if (!start) {
        start = { t: now, done };
        bar.start(total, done, { info, unit: named, left: '?' });
      } else {
        bar.setTotal(total);
        bar.update(done, { info, unit: named, left: formatSeconds(etaSeconds(start, now, done, total)) });
      }
    },
    stop() {
      if (start) bar.stop();
    },
  };
}
