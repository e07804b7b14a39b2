import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemHardwareIcds } from '../../src/gpu/node.ts';

describe('Vulkan driver discovery in Node', () => {
  it('counts a hardware driver manifest (NVIDIA) and ignores the CPU drivers (lavapipe, SwiftShader)', () => {
    const root = mkdtempSync(join(tmpdir(), 'icd-'));
    const cpuOnly = join(root, 'cpu'),
      withGpu = join(root, 'gpu');
    mkdirSync(cpuOnly);
    mkdirSync(withGpu);
    writeFileSync(join(cpuOnly, 'lvp_icd.x86_64.json'), '{}');
    writeFileSync(join(cpuOnly, 'vk_swiftshader_icd.json'), '{}');
    writeFileSync(join(withGpu, 'nvidia_icd.json'), '{}');
    writeFileSync(join(withGpu, 'README'), '');
    expect(systemHardwareIcds([cpuOnly, join(root, 'missing')])).toEqual([]);
    expect(systemHardwareIcds([cpuOnly, withGpu])).toEqual([join(withGpu, 'nvidia_icd.json')]);
  });
});
