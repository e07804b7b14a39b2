import type { Page } from 'puppeteer-core';

/** Pixel counts of a 2D canvas on the page: inked (alpha > 100) and red (the curves' mean line). */
export function canvasInk(page: Page, selector: string): Promise<{ inked: number; red: number }> {
  return page.evaluate((sel) => {
    const c = document.querySelector<HTMLCanvasElement>(sel);
    if (!c) return { inked: 0, red: 0 };
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let inked = 0;
    let red = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3]! <= 100) continue;
      inked++;
      if (d[i]! > 150 && d[i + 1]! < 90 && d[i + 2]! < 90) red++;
    }
    return { inked, red };
  }, selector);
}

/**
 * Pixel statistics of a 2D canvas whose background is white (a raster) or black (a firing-rate
 * image): opaque pixels, dark ones (a raster's spikes: r + g + b < 450) and lit ones (an image's
 * firing units: r + g + b > 60), and the number of distinct colours.
 */
export function canvasStats(page: Page, selector: string): Promise<{ pixels: number; dark: number; lit: number; colours: number }> {
  return page.evaluate((sel) => {
    const c = document.querySelector<HTMLCanvasElement>(sel);
    if (!c) return { pixels: 0, dark: 0, lit: 0, colours: 0 };
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let pixels = 0;
    let dark = 0;
    let lit = 0;
    const colours = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3]! <= 100) continue;
      pixels++;
      const sum = d[i]! + d[i + 1]! + d[i + 2]!;
      if (sum < 450) dark++;
      if (sum > 60) lit++;
      colours.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
    }
    return { pixels, dark, lit, colours: colours.size };
  }, selector);
}
