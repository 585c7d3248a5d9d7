// Measures search on a built site in headless Chromium, from file://:
//   first results (index loading included) after the page is ready, for each query on a fresh browser;
//   later queries on the same page; bytes loaded per query; index size against the articles' text bytes.
// A later query starts once the previous results are painted (two animation frames) and SETTLE_MS more have passed
// (default 100): a reader reads the results and types before asking again, and a query started at once would also
// be timing the previous results' layout and paint. SETTLE_MS=0 starts each query right after that paint.
// Usage: [SETTLE_MS=100] [BENCH_PER_QUERY=1] [BENCH_JSON=runs.json] node tests/bench/search_bench.js PUBLIC_DIR CONTENT_DIR [QUERIES_TSV]
// (BENCH_PER_QUERY prints each query's later-query medians; BENCH_JSON writes every run, phases included.)
"use strict";
const fs = require("fs");
const path = require("path");
const { Browser } = require("../browser/cdp");

const [publicDir, contentDir, queriesTsv = path.join(__dirname, "../fixtures/queries.tsv")] = process.argv.slice(2);
const root = path.resolve(publicDir);
const settleMs = Number(process.env.SETTLE_MS ?? 100);
const afterPaint = `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, ${settleMs}))))`;
const queries = fs.readFileSync(queriesTsv, "utf8").split("\n").slice(1).map((l) => l.split("\t")[0]).filter(Boolean);

function folderBytes(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(p) : fs.statSync(p).size;
  }
  return total;
}

// The articles' text: the Markdown bodies of content/*.md (front matter left out).
function textBytes(dir) {
  let total = 0, count = 0;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith(".md"))) {
    const text = fs.readFileSync(path.join(dir, name), "utf8");
    const end = text.indexOf("\n---", 4);
    total += Buffer.byteLength(end >= 0 ? text.slice(end + 4) : text);
    count++;
  }
  return { total, count };
}

const settled = `(() => { const r = document.getElementById("search-results");
  return window.__digestSearch && __digestSearch.timings.first && r.dataset.state; })()`;

async function firstQuery(query) {
  const browser = await Browser.launch();
  try {
    await browser.navigate(`file://${root}/search.html?q=${encodeURIComponent(query)}`);
    await browser.waitFor(settled, 30000);
    const t = await browser.evaluate(`({ ready: __digestSearch.timings.ready, first: __digestSearch.timings.first,
      shown: __digestSearch.timings.shown || __digestSearch.timings.first,
      phases: __digestSearch.timings.runs[0] && __digestSearch.timings.runs[0].phases,
      loaded: __digestSearch.loaded, hits: document.querySelectorAll("#search-results a").length })`);
    const bytes = t.loaded.reduce((sum, src) => sum + fs.statSync(path.join(root, src)).size, 0);
    const later = [];
    for (const q of queries.filter((x) => x !== query)) {
      await browser.evaluate(afterPaint);
      const before = await browser.evaluate(`__digestSearch.timings.runs.length`);
      const loadedBefore = await browser.evaluate(`__digestSearch.loaded.length`);
      await browser.evaluate(`__digestSearch.run(${JSON.stringify(q)})`);
      const run = await browser.evaluate(`__digestSearch.timings.runs[${before}]`);
      run.scripts = (await browser.evaluate(`__digestSearch.loaded.length`)) - loadedBefore;
      later.push(run);
    }
    return { query, ms: t.first - t.ready, shown: t.shown - t.ready, phases: t.phases, bytes, files: t.loaded.length, hits: t.hits, later };
  } finally {
    await browser.close();
  }
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: at(0.5), p90: at(0.9), max: s[s.length - 1] };
}

(async () => {
  const index = folderBytes(path.join(root, "search"));
  const text = textBytes(contentDir);
  console.log(`articles ${text.count}; text ${(text.total / 1e6).toFixed(2)} MB; index ${(index / 1e6).toFixed(2)} MB` +
    ` = ${(index / text.total).toFixed(2)} x text; later queries start ${settleMs} ms after the previous results' paint`);
  const runs = [];
  for (const q of queries) {
    const r = await firstQuery(q);
    runs.push(r);
    console.log(`  ${q}\tshown ${r.shown.toFixed(1)} ms, page ${r.ms.toFixed(1)} ms\t${(r.bytes / 1e6).toFixed(2)} MB in ${r.files} files\t${r.hits} shown\t${JSON.stringify(r.phases, (k, v) => (typeof v === "number" ? Math.round(v) : v))}`);
  }
  const shown = stats(runs.map((r) => r.shown));
  const first = stats(runs.map((r) => r.ms));
  const later = stats(runs.flatMap((r) => r.later.map((l) => l.ms)));
  const laterShown = stats(runs.flatMap((r) => r.later.map((l) => l.shown)));
  const bytes = stats(runs.map((r) => r.bytes));
  const scripts = stats(runs.flatMap((r) => r.later.map((l) => l.scripts)));
  console.log(`first results shown ms: median ${shown.median.toFixed(1)}, p90 ${shown.p90.toFixed(1)}, max ${shown.max.toFixed(1)}`);
  console.log(`first page (10) ms: median ${first.median.toFixed(1)}, p90 ${first.p90.toFixed(1)}, max ${first.max.toFixed(1)}`);
  console.log(`later query shown ms: median ${laterShown.median.toFixed(1)}, p90 ${laterShown.p90.toFixed(1)}, max ${laterShown.max.toFixed(1)}`);
  console.log(`later query page ms:  median ${later.median.toFixed(1)}, p90 ${later.p90.toFixed(1)}, max ${later.max.toFixed(1)}`);
  const all = runs.flatMap((r) => r.later);
  if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(runs));
  if (process.env.BENCH_PER_QUERY) {
    for (const q of queries) {
      const mine = all.filter((l) => l.query === q);
      const m = (f) => stats(mine.map(f)).median;
      console.log(`    later ${q}\tshown ${m((l) => l.shown).toFixed(1)}, page ${m((l) => l.ms).toFixed(1)} ms; ` +
        `scripts ${m((l) => l.termScripts)}+${m((l) => l.scripts - l.termScripts)}, rounds ${m((l) => l.rounds)}, ` +
        `candidates ${m((l) => l.candidates)}`);
    }
  }
  const med = (f) => stats(all.map(f)).median;
  console.log(`later query split (medians, ms): term shards in ${med((l) => l.phases.terms).toFixed(1)}` +
    `, ranked +${med((l) => l.phases.ranked - l.phases.terms).toFixed(1)}` +
    `, first results on screen +${med((l) => l.phases.shown - l.phases.ranked).toFixed(1)}` +
    `, page checked +${med((l) => l.phases.checked - l.phases.shown).toFixed(1)}` +
    `, rendered +${med((l) => l.phases.rendered - l.phases.checked).toFixed(1)}` +
    `; scripts ${med((l) => l.termScripts)} before ranking, ${med((l) => l.scripts - l.termScripts)} after` +
    `; text rounds ${med((l) => l.rounds)}`);
  console.log(`scripts loaded by a later query: median ${scripts.median}, p90 ${scripts.p90}, max ${scripts.max}`);
  console.log(`MB loaded (first query): median ${(bytes.median / 1e6).toFixed(2)}, max ${(bytes.max / 1e6).toFixed(2)}`);
})().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
