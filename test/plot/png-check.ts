import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What a test needs to know about a PNG file: is it one, how big, how varied its pixels are. */
export interface PngStats {
  width: number;
  height: number;
  /** Distinct RGBA values. */
  colors: number;
  /** Fraction of pixels that differ from the most common one (the background). */
  nonBackground: number;
  /** Standard deviation of the luminance over all pixels (0..255). */
  lumaStd: number;
}

export function pngStats(file: string): PngStats {
  const bytes = readFileSync(file);
  if (!bytes.subarray(0, 8).equals(SIGNATURE)) throw new Error(`${file} does not start with the PNG signature`);
  const png = PNG.sync.read(bytes);
  const { width, height, data } = png;
  const counts = new Map<number, number>();
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < data.length; i += 4) {
    const key = data.readUInt32BE(i);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const l = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
    sum += l;
    sum2 += l * l;
  }
  const n = width * height;
  const top = Math.max(...counts.values());
  const mean = sum / n;
  return { width, height, colors: counts.size, nonBackground: 1 - top / n, lumaStd: Math.sqrt(Math.max(0, sum2 / n - mean * mean)) };
}

/** Throws unless the file is a real, non-trivial picture (a chart, a screenshot). */
export function expectPicture(file: string, minWidth = 200, minHeight = 150): PngStats {
  const s = pngStats(file);
  if (s.width < minWidth || s.height < minHeight) throw new Error(`${file}: ${s.width}x${s.height}, smaller than ${minWidth}x${minHeight}`);
  if (s.colors < 16) throw new Error(`${file}: only ${s.colors} distinct colours`);
  if (s.nonBackground < 0.02) throw new Error(`${file}: ${(s.nonBackground * 100).toFixed(2)}% of pixels differ from the background`);
  return s;
}
