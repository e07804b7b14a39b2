import type { Experiment } from '../src/experiment/schema.ts';
import { type BackendChoice, chooseBackend } from '../src/experiment/train.ts';
import type { GpuContext } from '../src/gpu/context.ts';
import { createBrowserGpu } from '../src/gpu/browser.ts';

/** An error as one readable line (the class name unless it is a plain Error). */
export const errorText = (e: unknown): string => (e instanceof Error ? `${e.name === 'Error' ? '' : e.name + ': '}${e.message}` : String(e));

/** The page's GPU context: requested on first use, made again after a failure. */
export interface PageGpu {
  get(): Promise<GpuContext>;
  /** Whether a context exists or is being requested (a failed request clears it). */
  readonly requested: boolean;
  /** After a failed run: drop a lost or broken device, so the next run asks for a fresh one. */
  dropIfBroken(): Promise<void>;
}

/**
 * One GPU context for a demo page. Shows the adapter's name, or, when the browser has no WebGPU,
 * a visible error and 'none'.
 */
export function pageGpu(el: { adapter: HTMLElement; status: HTMLElement; error: HTMLElement }): PageGpu {
  let gpu: Promise<GpuContext> | undefined;
  return {
    get: () =>
      (gpu ??= createBrowserGpu().then(
        (ctx) => {
          const s = ctx.summary();
          el.adapter.textContent = ctx.adapterName() + (s.isFallbackAdapter ? ' (fallback adapter)' : '');
          el.error.hidden = true;
          return ctx;
        },
        (e: unknown) => {
          gpu = undefined;
          el.adapter.textContent = 'none';
          el.status.textContent = 'unavailable (no WebGPU)';
          el.error.textContent = `WebGPU is not available, so this demo cannot run here.\n${errorText(e)}`;
          el.error.hidden = false;
          throw e;
        },
      )),
    get requested() {
      return gpu !== undefined;
    },
    async dropIfBroken() {
      const ctx = await gpu?.catch(() => undefined);
      try {
        ctx?.checkHealthy();
      } catch {
        ctx?.destroy();
        gpu = undefined;
      }
    },
  };
}

/**
 * A run's backend on a demo page: WebGPU from the page's context unless the run asks for the CPU;
 * with 'auto', a page without WebGPU runs the CPU twins (the error box is hidden again, the choice's
 * reason says why); with 'webgpu' the failure is thrown.
 */
export async function pageBackend(backend: Experiment['run']['backend'], gpu: PageGpu, errorEl: HTMLElement): Promise<{ ctx?: GpuContext; choice: BackendChoice }> {
  let ctx: GpuContext | undefined;
  let gpuError: string | undefined;
  if (backend !== 'cpu') {
    try {
      ctx = await gpu.get();
    } catch (e) {
      gpuError = errorText(e);
      if (backend === 'webgpu') throw e;
      errorEl.hidden = true;
    }
  }
  return { ctx, choice: chooseBackend(backend, ctx, gpuError) };
}
