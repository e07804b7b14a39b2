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
