/// <reference types="@webgpu/types" preserve="true" />
/** Browser entry: a GpuContext through navigator.gpu. */
export { createBrowserGpu } from './gpu/browser.ts';
export * from './index.ts';
