/**
 * Gymnasium's hand-written LunarLander controller (`heuristic` in lunar_lander.py, discrete
 * branch): a PD controller on angle and hover height. Averages well above the 200 "solved" line
 * on LunarLander-v2, so it serves as an end-to-end check of the physics port and as a baseline.
 *
 * @param s one observation row (8 numbers) or a batch, read from `offset`
 * @returns action 0 (noop), 1 (left engine), 2 (main engine) or 3 (right engine)
 */
export function lunarLanderHeuristic(s: ArrayLike<number>, offset = 0): number {
  const o = (k: number) => s[offset + k]!;
  let angleTarg = o(0) * 0.5 + o(2) * 1.0; // angle should point towards center
  if (angleTarg > 0.4) angleTarg = 0.4; // more than 0.4 radians (22 degrees) is bad
  if (angleTarg < -0.4) angleTarg = -0.4;
  const hoverTarg = 0.55 * Math.abs(o(0)); // target y should be proportional to horizontal offset
  let angleTodo = (angleTarg - o(4)) * 0.5 - o(5) * 1.0;
  let hoverTodo = (hoverTarg - o(1)) * 0.5 - o(3) * 0.5;
  if (o(6) || o(7)) {
    // legs have contact: only reduce the fall speed
    angleTodo = 0;
    hoverTodo = -o(3) * 0.5;
  }
  if (hoverTodo > Math.abs(angleTodo) && hoverTodo > 0.05) return 2;
  if (angleTodo < -0.05) return 3;
  if (angleTodo > 0.05) return 1;
  return 0;
}
