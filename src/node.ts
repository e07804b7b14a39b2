/// <reference types="@webgpu/types" preserve="true" />
/**
 * Node entry: everything in `hedonist`, plus a GpuContext through Dawn (the `webgpu` package), with
 * automatic Vulkan driver discovery.
 * @module hedonist/node
 */
export { createNodeGpu, prepareNodeVulkan } from './gpu/node.ts';
export * from './index.ts';
