// Open one of labcheck's HTML pages in a real headless Chromium and check it as a reader
// meets it: nothing fails while it loads (no console error, no uncaught exception, no
// request leaves the file: the page must open offline), every sortable table sorts on
// a click of a header (ascending, then descending), every chart (`svg.chart`) is drawn
// (it has a size on the page and marks with a size in it), and a screenshot of the
// whole page. A page must have a sortable table or a chart.
//
//   node tests/browser/check_page.mjs PAGE.html SCREENSHOT.png
//
// Prints one JSON object with what it saw; exits 0 when every check holds, 1 when one
// does not, 2 when the browser could not be run. Uses the system's Chromium (CHROMIUM,
// else `chromium` on PATH) through puppeteer-core; every wait is bounded.
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [pagePath, screenshot] = process.argv.slice(2);
if (!pagePath || !screenshot) {
  console.error('usage: node check_page.mjs PAGE.html SCREENSHOT.png');
  process.exit(2);
}

function chromium() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      if (existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return null;
}

const executablePath = chromium();
if (!executablePath) {
  console.error('no Chromium: install it (Debian: apt-get install chromium) or set CHROMIUM');
  process.exit(2);
}

const url = pathToFileURL(resolve(pagePath)).href;
const seen = { console_errors: [], page_errors: [], outside_requests: [], tables: [], charts: [] };
let browser;
try {
  browser = await puppeteer.launch({
    executablePath,
    headless: true,
    timeout: 30_000,
    // As root (CI containers) Chromium runs only without its sandbox.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
} catch (err) {
  console.error(`Chromium did not start: ${err.message}`);
  process.exit(2);
}
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  await page.setViewport({ width: 1280, height: 900 });
  page.on('console', (msg) => msg.type() === 'error' && seen.console_errors.push(msg.text()));
  page.on('pageerror', (err) => seen.page_errors.push(err.message));
  page.on('request', (req) => req.url() !== url && !req.url().startsWith('data:') && seen.outside_requests.push(req.url()));
  await page.goto(url, { waitUntil: 'load' });

  // Each sortable table: click every header twice; the column must then read in
  // ascending order, then in descending order (numbers by data-v, text as text).
  const tables = await page.$$eval('table.sortable', (ts) => ts.map((t) => ({ id: t.id, headers: t.tHead.rows[0].cells.length, rows: t.tBodies[0].rows.length })));
  for (const table of tables) {
    const columns = [];
    for (let i = 0; i < table.headers; i++) {
      const header = `#${table.id} thead th:nth-child(${i + 1})`;
      const read = () => page.$$eval(`#${table.id} tbody tr`, (rows, i) => rows.map((r) => r.cells[i].dataset.v ?? r.cells[i].textContent), i);
      await page.click(header);
      const up = await read();
      await page.click(header);
      const down = await read();
      const order = (values) => {
        const numbers = values.every((v) => !isNaN(parseFloat(v)));
        const sorted = [...values].sort((a, b) => (numbers ? parseFloat(a) - parseFloat(b) : a.localeCompare(b)));
        return JSON.stringify(values) === JSON.stringify(sorted);
      };
      columns.push({ column: i, ascending: order(up), descending: order([...down].reverse()) });
    }
    seen.tables.push({ id: table.id, rows: table.rows, columns });
  }
  // Each chart: its size as laid out, and how many of its marks (bars, points, lines)
  // have a size of their own.
  seen.charts = await page.$$eval('svg.chart', (svgs) => svgs.map((svg) => {
    const box = svg.getBoundingClientRect();
    const marks = [...svg.querySelectorAll('rect, circle, line, polyline, path')];
    const drawn = marks.filter((m) => { const b = m.getBBox(); return b.width > 0 || b.height > 0; });
    return { id: svg.id, width: box.width, height: box.height, marks: marks.length, drawn: drawn.length };
  }));
  await page.screenshot({ path: screenshot, fullPage: true });
  seen.screenshot = screenshot;
} finally {
  await browser.close();
}

console.log(JSON.stringify(seen, null, 2));
const sorts = seen.tables.every((t) => t.columns.every((c) => c.ascending && c.descending));
const drawn = seen.charts.every((c) => c.width > 0 && c.height > 0 && c.drawn > 0);
const shows = seen.tables.length + seen.charts.length > 0;
const clean = !seen.console_errors.length && !seen.page_errors.length && !seen.outside_requests.length;
process.exit(clean && sorts && drawn && shows ? 0 : 1);
