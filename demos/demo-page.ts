import { errorText, pageGpu, type PageGpu } from './page-gpu.ts';

/**
 * The shell every training demo page shares (demos/cartpole.html, demos/million.html): the
 * elements by id, the config form of numeric fields, and the page GPU.
 */
export interface DemoPage<F extends string> {
  form: HTMLFormElement;
  start: HTMLButtonElement;
  formError: HTMLElement;
  status: HTMLElement;
  progress: HTMLElement;
  rate: HTMLElement;
  ma: HTMLElement;
  chart: HTMLElement;
  summary: HTMLElement;
  gpu: PageGpu;
  input(f: F): HTMLInputElement;
  /** Locks the form (fields and Start) while a run goes. */
  setBusy(busy: boolean): void;
  /** Clears the marks and the message of the last invalid submit. */
  clearInvalid(): void;
  /** Shows `message` next to the form; marks and focuses `field` when the message is about one. */
  markInvalid(field: F | undefined, message: string): void;
  /** Shows a finished run's summary as a two-column table under the chart. */
  showSummary(rows: [string, string][]): void;
  /** After a failed run: status 'failed', the reason next to the form and a lost device dropped (when the GPU was reached); returns the reason. */
  runFailed(e: unknown): Promise<string>;
}

export const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

export function demoPage<F extends string>(fields: readonly F[]): DemoPage<F> {
  const form = byId<HTMLFormElement>('config');
  const start = byId<HTMLButtonElement>('start');
  const formError = byId('form-error');
  const status = byId('status');
  const summary = byId('summary');
  const input = (f: F): HTMLInputElement => form.elements.namedItem(f) as HTMLInputElement;
  return {
    form, start, formError, status, summary,
    progress: byId('progress'), rate: byId('rate'), ma: byId('ma'), chart: byId('chart'),
    gpu: pageGpu({ adapter: byId('adapter'), status, error: byId('gpu-error') }),
    input,
    setBusy(busy) {
      for (const f of fields) input(f).disabled = busy;
      start.disabled = busy;
    },
    clearInvalid() {
      for (const f of fields) input(f).removeAttribute('aria-invalid');
      formError.textContent = '';
    },
    markInvalid(field, message) {
      if (field) {
        input(field).setAttribute('aria-invalid', 'true');
        input(field).focus();
      }
      formError.textContent = message;
    },
    showSummary(rows) {
      const table = document.createElement('table');
      for (const [k, v] of rows) {
        const tr = table.insertRow();
        const th = document.createElement('th');
        th.textContent = k;
        tr.appendChild(th);
        tr.insertCell().textContent = v;
      }
      const h = document.createElement('h2');
      h.textContent = 'Summary';
      h.style.fontSize = '1.1rem';
      summary.replaceChildren(h, table);
      summary.hidden = false;
    },
    async runFailed(e) {
      const why = errorText(e);
      status.textContent = 'failed';
      if (this.gpu.requested) {
        formError.textContent = `Training failed: ${why}`;
        await this.gpu.dropIfBroken();
      }
      return why;
    },
  };
}

/**
 * Starts a demo page: the form prefilled from the query (else `defaults`), a submit starts `run`
 * when `idle()`, typing into a field clears its mark; then the GPU is requested (on failure
 * `unavailable` gets the reason and the page stays idle) and `autostart=1` starts a run at once.
 */
export function startDemoPage<F extends string>(
  page: DemoPage<F>,
  fields: readonly F[],
  o: { defaults: Record<F, number>; idle(): boolean; run(): Promise<void>; unavailable(why: string): void },
): void {
  page.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (o.idle()) void o.run();
  });
  for (const f of fields) page.input(f).addEventListener('input', () => page.input(f).removeAttribute('aria-invalid'));
  const params = new URLSearchParams(location.search);
  for (const f of fields) page.input(f).value = params.get(f) ?? String(o.defaults[f]);
  void (async () => {
    try {
      await page.gpu.get();
    } catch (e) {
      o.unavailable(errorText(e));
      return;
    }
    page.start.disabled = false;
    if (params.get('autostart') === '1') await o.run();
  })();
}
