/** What demos/worm.html exposes to tests as `window.__worm` (test/browser/demo-worm.test.ts reads it). */
export interface WormState {
  done?: boolean;
  running?: boolean;
  paused?: boolean;
  error?: string;
  /** Episodes finished per replica. */
  episodes?: number[];
  /** Frames drawn (plane and raster). */
  frames?: number;
  /** Raster cells drawn as spikes so far. */
  spikes?: number;
  /** Points of the drawn replica's track in its current episode. */
  trackPoints?: number;
  /** Mean end concentration of the last 20 episodes of every replica. */
  concentration?: number;
  backend?: string;
  summary?: Record<string, unknown>;
}
