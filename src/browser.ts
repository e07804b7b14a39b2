/// <reference types="@webgpu/types" preserve="true" />
/**
 * Browser entry: everything in `hedonist`, plus a GpuContext through navigator.gpu (the WGSL comes
 * bundled as strings, so any bundler works) and MNIST over HTTP for the rules that train on it
 * (`fetchMnist(url)`, passed to buildModel / trainExperiment as `inputs.mnist`).
 * @module hedonist/browser
 */
export { createBrowserGpu } from './gpu/browser.ts';
export { fetchMnist, fetchMnistSet } from './data/mnist-fetch.ts';
export * from './index.ts';
