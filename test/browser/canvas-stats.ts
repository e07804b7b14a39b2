import type { Page } from 'puppeteer-core';

/** Pixel statistics of a canvas on the page: how much of it differs from its most common colour. */
export interface CanvasStats {
  width: number;
  height: number;
  colors: number;
  /** Fraction of pixels not of the most common colour (the background). */
  inked: number;
  /** Fraction of dark pixels (r + g + b < 450: a raster's spikes on its white ground). */
  dark: number;
  /** Fraction of lit pixels (r + g + b > 60: a firing-rate image's units on its black ground). */
  lit: number;
}

export async function canvasStats(page: Page, selector: string): Promise<CanvasStats | null> {
  return page.evaluate((sel) => {
    const c = document.querySelector<HTMLCanvasElement>(sel);
    if (!c || !c.width || !c.height) return null;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const counts = new Map<number, number>();
    let dark = 0;
    let lit = 0;
    for (let i = 0; i < d.length; i += 4) {
      const k = ((d[i]! << 24) | (d[i + 1]! << 16) | (d[i + 2]! << 8) | d[i + 3]!) >>> 0;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      const sum = d[i]! + d[i + 1]! + d[i + 2]!;
      if (sum < 450) dark++;
      if (sum > 60) lit++;
    }
    const n = c.width * c.height;
    return { width: c.width, height: c.height, colors: counts.size, inked: 1 - Math.max(...counts.values()) / n, dark: dark / n, lit: lit / n };
  }, selector);
}
