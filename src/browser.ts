/// <reference types="@webgpu/types" preserve="true" />
/**
 * Browser entry: everything in `hedonist`, plus a GpuContext through navigator.gpu (the WGSL comes
 * bundled as strings, so any bundler works).
 * @module hedonist/browser
 */
export { createBrowserGpu } from './gpu/browser.ts';
export * from './index.ts';
