import { createBrowserGpu } from '../../src/gpu/browser.ts';
import type { AdapterSummary, GpuContext } from '../../src/gpu/context.ts';
import type { ParityReport } from '../parity/rng-parity.ts';
import { PARITY_SUITES } from '../parity/suites.ts';

/** One suite's outcome, as test/browser/chromium.test.ts reads it from the page. */
export interface BrowserParityResult {
  name: string;
  report: ParityReport | null;
  violations: string[];
  ms: number;
}

declare global {
  interface Window {
    __parityResults?: BrowserParityResult[];
    __adapter?: AdapterSummary;
    __parityError?: string;
    /** Set last, whether the run passed, failed or threw. */
    __parityDone?: boolean;
  }
}

const status = document.getElementById('status')!;
const table = document.getElementById('results') as HTMLTableElement;

function addRow(r: BrowserParityResult): void {
  const row = table.tBodies[0]!.insertRow();
  const ok = r.violations.length === 0;
  const cells = [
    r.name,
    ok ? 'pass' : 'FAIL: ' + r.violations.join('; '),
    String(r.report?.count ?? ''),
    String(r.report?.exactMismatches ?? ''),
    String(r.report?.maxAbsError ?? ''),
    r.ms.toFixed(0),
  ];
  for (const text of cells) row.insertCell().textContent = text;
  row.cells[1]!.className = ok ? 'pass' : 'fail';
  table.hidden = false;
}

async function runSuite(ctx: GpuContext, suite: (typeof PARITY_SUITES)[number]): Promise<BrowserParityResult> {
  const t0 = performance.now();
  const errorsBefore = ctx.uncapturedErrors.length;
  let report: ParityReport | null = null;
  let violations: string[];
  try {
    report = await suite.run(ctx);
    violations = suite.violations(report);
  } catch (e) {
    violations = [`threw: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`];
  }
  // An error the debug scopes did not catch still fails the suite that caused it.
  for (const m of ctx.uncapturedErrors.slice(errorsBefore)) violations.push(`uncaptured device error: ${m}`);
  return { name: suite.name, report, violations, ms: performance.now() - t0 };
}

async function main(): Promise<void> {
  const ctx = await createBrowserGpu({ debug: true });
  try {
    window.__adapter = ctx.summary();
    status.textContent = `adapter: ${ctx.adapterName()}${window.__adapter.isFallbackAdapter ? ' (fallback)' : ''}`;
    const results: BrowserParityResult[] = [];
    for (const suite of PARITY_SUITES) {
      const r = await runSuite(ctx, suite);
      results.push(r);
      addRow(r);
    }
    window.__parityResults = results;
    const failed = results.filter((r) => r.violations.length).length;
    status.textContent += ` — ${results.length - failed} of ${results.length} suites pass`;
  } finally {
    ctx.destroy();
  }
}

main()
  .catch((e: unknown) => {
    window.__parityError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    status.textContent = window.__parityError;
    status.className = 'error';
  })
  .finally(() => {
    window.__parityDone = true;
  });
