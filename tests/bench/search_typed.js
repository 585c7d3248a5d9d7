// Later queries as a reader makes them on search.html: typed into the box (one input event, then a pause of
// PAUSE_MS, during which the page may load the query's term shards), then submitted. Measured from submission to
// the page of results, beside search_bench.js's later queries, which are submitted without typing.
// Usage: node tests/bench/search_typed.js PUBLIC_DIR [QUERIES_TSV]
"use strict";
const fs = require("fs");
const path = require("path");
const { Browser } = require("../browser/cdp");

const PAUSE_MS = 400;
const [publicDir, queriesTsv = path.join(__dirname, "../fixtures/queries.tsv")] = process.argv.slice(2);
const root = path.resolve(publicDir);
const queries = fs.readFileSync(queriesTsv, "utf8").split("\n").slice(1).map((l) => l.split("\t")[0]).filter(Boolean);

async function typedAfter(first) {
  const browser = await Browser.launch();
  try {
    await browser.navigate(`file://${root}/search.html?q=${encodeURIComponent(first)}`);
    await browser.waitFor(`window.__digestSearch && __digestSearch.timings.first &&
      document.getElementById("search-results").dataset.state !== "loading"`, 30000);
    const runs = [];
    for (const q of queries.filter((x) => x !== first)) {
      await browser.evaluate(`(() => { const box = document.getElementById("search-input"); box.value = ${JSON.stringify(q)};
        box.dispatchEvent(new InputEvent("input", { bubbles: true })); })()`);
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      const n = await browser.evaluate(`__digestSearch.timings.runs.length`);
      await browser.evaluate(`document.getElementById("search-form").requestSubmit()`);
      await browser.waitFor(`__digestSearch.timings.runs.length > ${n}`, 30000);
      runs.push(await browser.evaluate(`__digestSearch.timings.runs[${n}]`));
    }
    return runs;
  } finally {
    await browser.close();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p90 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)];

(async () => {
  const runs = [];
  for (const first of queries) runs.push(...(await typedAfter(first)));
  const ms = runs.map((r) => r.ms);
  console.log(`typed later query page ms: median ${median(ms).toFixed(1)}, p90 ${p90(ms).toFixed(1)}; ` +
    `term shards in ${median(runs.map((r) => r.phases.terms)).toFixed(1)} ms; ` +
    `scripts after submission: median ${median(runs.map((r) => r.scripts))}`);
})().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
