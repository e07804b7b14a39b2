/// <reference types="@webgpu/types" preserve="true" />
/** Node entry: a GpuContext through Dawn (the `webgpu` package), with automatic Vulkan driver discovery. */
export { createNodeGpu, prepareNodeVulkan } from './gpu/node.ts';
export * from './index.ts';
