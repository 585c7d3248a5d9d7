// What loading index files costs a search page by itself, with no search work: in headless Chromium from file://,
// on the built search page, TERMS term shards in one round, then TEXTS text shards in a second, REPEAT times
// (different files each time, as a later query would load). Prints the median and p90 of each round's end.
// Usage: node tests/bench/script_floor.js PUBLIC_DIR [TERMS=2] [TEXTS=5] [REPEAT=30]
"use strict";
const path = require("path");
const { Browser } = require("../browser/cdp");

const [publicDir, terms = 2, texts = 5, repeat = 30] = process.argv.slice(2);
const root = path.resolve(publicDir);

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  return `median ${s[s.length >> 1].toFixed(1)}, p90 ${s[Math.floor(s.length * 0.9)].toFixed(1)} ms`;
}

(async () => {
  const browser = await Browser.launch();
  try {
    // A settled page with its first query done, as before a later query.
    await browser.navigate(`file://${root}/search.html?q=${encodeURIComponent("经济")}`);
    await browser.waitFor("window.__digestSearch && __digestSearch.timings.first", 30000);
    const rounds = [];
    for (let k = 0; k < +repeat; k++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      rounds.push(await browser.evaluate(`(async () => {
        const cfg = DigestIndex.store.config;
        const textShards = Math.ceil(cfg.docs / cfg.textShardSize);
        const pad = (n, count) => String(n).padStart(Math.max(3, String(count - 1).length), "0");
        const load = (src) => new Promise((resolve, reject) => {
          const s = document.createElement("script");
          s.src = src; s.fetchPriority = "high"; s.onload = resolve; s.onerror = reject;
          document.head.appendChild(s);
        });
        const start = performance.now();
        await Promise.all(Array.from({ length: ${+terms} }, (_, i) =>
          load("search/terms/" + pad((${k} * 7 + i * 101) % cfg.termShards, cfg.termShards) + ".js")));
        const first = performance.now() - start;
        await Promise.all(Array.from({ length: ${+texts} }, (_, i) =>
          load("search/texts/" + pad((${k} * 53 + i * 211) % textShards, textShards) + ".js")));
        return [first, performance.now() - start];
      })()`));
    }
    console.log(`${terms} term shards: ${stats(rounds.map((r) => r[0]))}; then ${texts} text shards: ` +
      `${stats(rounds.map((r) => r[1]))} (${repeat} repetitions)`);
  } finally {
    await browser.close();
  }
})().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
