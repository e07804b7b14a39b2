/**
 * Environment renderers for the demos: one replica's state drawn on a 2-D canvas. CartPole and
 * Acrobot read the env's own state (`env.state`: [x, x_dot, theta, theta_dot] and [theta1,
 * theta2, dtheta1, dtheta2], Gymnasium's conventions); LunarLander (Box2D on the host, no state
 * buffer) reads its observation ([x, y, vx, vy, angle, angular velocity, leg 1, leg 2] in
 * Gymnasium's normalised units).
 */
export type EnvViewKind = 'cartpole' | 'acrobot' | 'lunar-lander';

export function drawEnv(canvas: HTMLCanvasElement, kind: EnvViewKind, s: ArrayLike<number>, caption: string): void {
  const g = canvas.getContext('2d')!;
  const W = canvas.width,
    H = canvas.height;
  g.save();
  g.fillStyle = '#fbfbfd';
  g.fillRect(0, 0, W, H);
  if (kind === 'cartpole') drawCartPole(g, W, H, s);
  else if (kind === 'acrobot') drawAcrobot(g, W, H, s);
  else drawLander(g, W, H, s);
  g.fillStyle = '#333';
  g.font = '12px system-ui, sans-serif';
  g.fillText(caption, 8, 16);
  g.restore();
}

/** Gymnasium's CartPole: track +-2.4 (done past it), pole half-length 0.5, done past 12 degrees. */
function drawCartPole(g: CanvasRenderingContext2D, W: number, H: number, s: ArrayLike<number>): void {
  const [x = 0, , theta = 0] = Array.from(s);
  const scale = W / 6; // 4.8 of track plus margin
  const railY = H * 0.72;
  const cx = W / 2 + x * scale;
  g.strokeStyle = '#999';
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(W / 2 - 2.4 * scale, railY);
  g.lineTo(W / 2 + 2.4 * scale, railY);
  g.stroke();
  for (const edge of [-2.4, 2.4]) {
    g.fillStyle = '#c44';
    g.fillRect(W / 2 + edge * scale - 2, railY - 12, 4, 24);
  }
  g.fillStyle = '#2d5fa8';
  g.fillRect(cx - 30, railY - 18, 60, 30);
  const len = 1.0 * scale; // pole length 2 * 0.5
  const px = cx + Math.sin(theta) * len,
    py = railY - 18 - Math.cos(theta) * len;
  g.strokeStyle = Math.abs(theta) > (12 * Math.PI) / 180 ? '#c44' : '#c98a3a';
  g.lineWidth = 9;
  g.lineCap = 'round';
  g.beginPath();
  g.moveTo(cx, railY - 18);
  g.lineTo(px, py);
  g.stroke();
  g.fillStyle = '#555';
  g.beginPath();
  g.arc(cx, railY - 18, 5, 0, 2 * Math.PI);
  g.fill();
}

/** Gymnasium's Acrobot: two links of length 1 hanging from a pivot; the goal line at height 1 above it. */
function drawAcrobot(g: CanvasRenderingContext2D, W: number, H: number, s: ArrayLike<number>): void {
  const [t1 = 0, t2 = 0] = Array.from(s);
  const scale = Math.min(W, H) / 5;
  const ox = W / 2,
    oy = H / 2;
  const p1 = [ox + Math.sin(t1) * scale, oy + Math.cos(t1) * scale];
  const p2 = [p1[0]! + Math.sin(t1 + t2) * scale, p1[1]! + Math.cos(t1 + t2) * scale];
  g.strokeStyle = '#3a3';
  g.setLineDash([6, 4]);
  g.lineWidth = 1.5;
  g.beginPath();
  g.moveTo(ox - 2.2 * scale, oy - scale);
  g.lineTo(ox + 2.2 * scale, oy - scale);
  g.stroke();
  g.setLineDash([]);
  g.lineCap = 'round';
  g.lineWidth = 10;
  g.strokeStyle = '#2d5fa8';
  g.beginPath();
  g.moveTo(ox, oy);
  g.lineTo(p1[0]!, p1[1]!);
  g.stroke();
  g.strokeStyle = '#c98a3a';
  g.beginPath();
  g.moveTo(p1[0]!, p1[1]!);
  g.lineTo(p2[0]!, p2[1]!);
  g.stroke();
  g.fillStyle = '#555';
  for (const [x, y] of [[ox, oy], p1]) {
    g.beginPath();
    g.arc(x!, y!, 5, 0, 2 * Math.PI);
    g.fill();
  }
}

/** LunarLander from its observation: x in [-1, 1] across the viewport, y 0 at the pad, 1 = half the viewport up. */
function drawLander(g: CanvasRenderingContext2D, W: number, H: number, s: ArrayLike<number>): void {
  const [x = 0, y = 1, , , angle = 0, , leg1 = 0, leg2 = 0] = Array.from(s);
  const groundY = H * 0.82;
  const half = W / 2;
  g.fillStyle = '#e8e4da';
  g.fillRect(0, groundY, W, H - groundY);
  g.strokeStyle = '#8a8577';
  g.beginPath();
  g.moveTo(0, groundY);
  g.lineTo(W, groundY);
  g.stroke();
  // the helipad between the flags (Gymnasium: +-0.2 of the half width)
  g.fillStyle = '#f2c744';
  for (const f of [-0.2, 0.2]) {
    const fx = half + f * half;
    g.fillRect(fx - 1, groundY - 30, 2, 30);
    g.beginPath();
    g.moveTo(fx, groundY - 30);
    g.lineTo(fx + 14, groundY - 25);
    g.lineTo(fx, groundY - 20);
    g.fill();
  }
  const lx = half + x * half;
  const ly = groundY - y * (groundY * 0.9);
  g.save();
  g.translate(lx, Math.min(ly, groundY - 8));
  g.rotate(-angle);
  g.fillStyle = '#8057b5';
  g.beginPath();
  g.moveTo(-14, 8);
  g.lineTo(-10, -10);
  g.lineTo(10, -10);
  g.lineTo(14, 8);
  g.closePath();
  g.fill();
  g.strokeStyle = '#444';
  g.lineWidth = 2;
  for (const [side, contact] of [
    [-1, leg1],
    [1, leg2],
  ] as const) {
    g.strokeStyle = contact > 0.5 ? '#2a2' : '#444';
    g.beginPath();
    g.moveTo(side * 10, 8);
    g.lineTo(side * 18, 18);
    g.stroke();
  }
  g.restore();
}
