/** The page's element with this id, typed (every demo page's `$`). */
export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

/**
 * The elements every form page that trains with a live curve has (demos/cartpole.html,
 * demos/million.html): the config form, Start, the error and status lines, the progress figures,
 * the chart and the summary.
 */
export function formPageElements() {
  return {
    form: byId<HTMLFormElement>('config'),
    startBtn: byId<HTMLButtonElement>('start'),
    formError: byId('form-error'),
    gpuError: byId('gpu-error'),
    adapterEl: byId('adapter'),
    statusEl: byId('status'),
    progressEl: byId('progress'),
    rateEl: byId('rate'),
    maEl: byId('ma'),
    chartEl: byId('chart'),
    summaryEl: byId('summary'),
  };
}
