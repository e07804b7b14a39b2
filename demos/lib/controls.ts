/**
 * Start / Pause / Stop for a demo's training run. `begin()` gives the run its abort signal and a
 * `gate` to await before each chunk (it holds while paused); Stop aborts (the loop finishes the
 * chunk in flight and returns a summary marked stopped) and releases a paused run.
 */
export class RunControls {
  private abort?: AbortController;
  private release?: () => void;
  paused = false;

  constructor(
    private readonly el: { start: HTMLButtonElement; pause: HTMLButtonElement; stop: HTMLButtonElement; status?: HTMLElement },
    private readonly onChange: (running: boolean) => void = () => {},
  ) {
    el.pause.addEventListener('click', () => this.togglePause());
    el.stop.addEventListener('click', () => this.stop());
  }

  get running(): boolean {
    return this.abort !== undefined;
  }

  begin(): { signal: AbortSignal; gate: () => Promise<void> } {
    this.abort = new AbortController();
    this.paused = false;
    this.set(true);
    return {
      signal: this.abort.signal,
      gate: async () => {
        while (this.paused) await new Promise<void>((res) => (this.release = res));
      },
    };
  }

  end(): void {
    this.abort = undefined;
    this.paused = false;
    this.release?.();
    this.set(false);
  }

  togglePause(): void {
    if (!this.abort) return;
    this.paused = !this.paused;
    this.el.pause.textContent = this.paused ? 'Resume' : 'Pause';
    if (this.el.status) this.el.status.textContent = this.paused ? 'paused' : 'training…';
    if (!this.paused) this.release?.();
  }

  stop(): void {
    if (!this.abort) return;
    this.abort.abort();
    this.paused = false;
    this.release?.();
    if (this.el.status) this.el.status.textContent = 'stopping…';
    this.el.stop.disabled = this.el.pause.disabled = true;
  }

  private set(running: boolean): void {
    this.el.start.disabled = running;
    this.el.pause.disabled = !running;
    this.el.stop.disabled = !running;
    this.el.pause.textContent = 'Pause';
    this.onChange(running);
  }
}
