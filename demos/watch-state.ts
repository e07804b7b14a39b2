/** What demos/watch.html exposes to tests as `window.__watch` (test/browser/demo-watch.test.ts reads it). */
export interface WatchState {
  done?: boolean;
  running?: boolean;
  paused?: boolean;
  error?: string;
  /** Episodes finished per replica. */
  episodes?: number[];
  /** Frames drawn (env view and raster). */
  frames?: number;
  spikes?: number;
  backend?: string;
  summary?: Record<string, unknown>;
}
