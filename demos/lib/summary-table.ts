/** Shows a run's summary as a two-column table (label, value) under a "Summary" heading in `el`. */
export function showSummaryTable(el: HTMLElement, rows: [string, string][]): void {
  const table = document.createElement('table');
  for (const [key, value] of rows) {
    const tr = table.insertRow();
    const th = document.createElement('th');
    th.textContent = key;
    tr.appendChild(th);
    tr.insertCell().textContent = value;
  }
  const h = document.createElement('h2');
  h.textContent = 'Summary';
  h.style.fontSize = '1.1rem';
  el.replaceChildren(h, table);
  el.hidden = false;
}
