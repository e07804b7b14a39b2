/** The offline HTML reports' shared page: escaping and the page skeleton (no external resources). */

/** Text as HTML (also safe inside attribute values). */
export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A whole report page: `title` in the head, `body` as given (charts inline as SVG). */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body { font-family: 'DejaVu Sans', system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 2px 12px 2px 0; vertical-align: top; font-size: 0.9em; }
th { font-weight: 600; color: #555; } pre { background: #f6f6f6; padding: 1em; overflow: auto; font-size: 0.85em; }
.chart svg { max-width: 100%; height: auto; }
</style></head><body>
${body}
</body></html>
`;
}
