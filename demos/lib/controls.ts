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

/**
 * A form page's start-up: submitting the form starts a run unless one is running, editing a field
 * clears its error mark; then the GPU is acquired (a failure is handed to `unavailable` and the page
 * stays idle), Start is enabled, and `?autostart=1` starts a run at once.
 */
export async function startFormPage(o: {
  form: HTMLFormElement;
  fields: HTMLInputElement[];
  startBtn: HTMLButtonElement;
  controls: { readonly running: boolean };
  prefill(params: URLSearchParams): void;
  gpu: { get(): Promise<unknown> };
  run(): Promise<void>;
  unavailable(e: unknown): void;
}): Promise<void> {
  o.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!o.controls.running) void o.run();
  });
  for (const f of o.fields) f.addEventListener('input', () => f.removeAttribute('aria-invalid'));
  const params = new URLSearchParams(location.search);
  o.prefill(params);
  try {
    await o.gpu.get();
  } catch (e) {
    o.unavailable(e);
    return;
  }
  o.startBtn.disabled = false;
  if (params.get('autostart') === '1') await o.run();
}
