import { prepareNodeVulkan } from '../../gpu/node.ts';
import type { CliCommand } from '../command.ts';
import { jsonFlag } from '../flags.ts';

export const infoCommand: CliCommand = {
  path: ['info'],
  summary: 'show the WebGPU backend, adapter, limits and features',
  flags: { json: jsonFlag() },
  async run(_flags, io) {
    const ctx = await io.gpu();
    const driver = prepareNodeVulkan();
    return { ...ctx.summary(), adapter: ctx.adapterName(), driver, maxBufferBytes: ctx.maxBufferBytes };
  },
  format(r) {
    const limits = r.limits as Record<string, number>;
    return [
      `backend   ${r.backend}`,
      `adapter   ${r.adapter}${r.isFallbackAdapter ? ' (software fallback adapter)' : ''}`,
      `driver    ICD ${(r.driver as { icd?: string }).icd ?? 'system default'}; loader ${(r.driver as { loader: string }).loader}`,
      'limits',
      ...Object.entries(limits).map(([k, v]) => `  ${k.padEnd(36)} ${v}`),
      `engine buffer cap ${r.maxBufferBytes} bytes`,
      `features  ${(r.features as string[]).join(', ')}`,
    ].join('\n');
  },
};
