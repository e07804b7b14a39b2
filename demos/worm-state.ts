import type { WatchState } from './watch-state.ts';

/** What demos/worm.html exposes to tests as `window.__worm` (test/browser/demo-worm.test.ts reads it): watch.html's state and the worm's own. */
export interface WormState extends WatchState {
  /** Points of the drawn replica's track in its current episode. */
  trackPoints?: number;
  /** The experiment the form's setting trains (its `name`). */
  preset?: string;
  /** Mean end concentration of the last 20 episodes of every replica. */
  concentration?: number;
}
