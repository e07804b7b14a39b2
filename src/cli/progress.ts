import cliProgress from 'cli-progress';

/** A progress reporter: a cli-progress bar on a TTY (stderr), nothing otherwise. */
export interface Progress {
  update(done: number, total: number, payload?: Record<string, string | number>): void;
  stop(): void;
}

export function makeProgress(label: string, enabled = Boolean(process.stderr.isTTY), unit = 'eps'): Progress {
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} |{bar}| {percentage}% {value}/{total} ${unit} | {info} | {duration_formatted} elapsed, eta {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, payload = {}) {
      const info = Object.entries(payload).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(1) : v}`).join(' ') || '-';
      if (!started) {
        bar.start(total, done, { info });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { info });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
