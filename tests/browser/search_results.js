// Runs queries on a built site's search.html in headless Chromium and prints, one JSON line per query, the
// article stems in #search-results (all pages: "显示更多" is clicked until it hides), best first.
// Usage: node search_results.js BASE_URL QUERY... (BASE_URL is the folder holding search.html, ending in "/").
"use strict";
const { Browser } = require("./cdp");

const settled = (q) => `(() => {
  const r = document.getElementById("search-results");
  return r && r.dataset.query === ${JSON.stringify(q)} && ["done", "empty", "error", "idle"].includes(r.dataset.state)
    && document.getElementById("search-more").hidden !== undefined && r.dataset.state;
})()`;

async function resultsFor(browser, base, query) {
  await browser.navigate(`${base}search.html?q=${encodeURIComponent(query)}`);
  const state = await browser.waitFor(settled(query));
  for (let pages = 0; pages < 100; pages++) {
    const more = await browser.evaluate(`!document.getElementById("search-more").hidden`);
    if (!more) break;
    const shown = await browser.evaluate(`document.querySelectorAll("#search-results a").length`);
    await browser.evaluate(`document.getElementById("search-more").click()`);
    // The page shows its first new hits before the rest are confirmed ("partial"): wait until it is done.
    await browser.waitFor(`document.getElementById("search-results").dataset.state !== "partial" &&
      (document.querySelectorAll("#search-results a").length > ${shown} || document.getElementById("search-more").hidden)`);
  }
  const hrefs = await browser.evaluate(
    `Array.from(document.querySelectorAll("#search-results a"), (a) => a.getAttribute("href"))`);
  const status = await browser.evaluate(`document.getElementById("search-status").textContent`);
  return { query, state, status, hrefs };
}

(async () => {
  const [base, ...queries] = process.argv.slice(2);
  const browser = await Browser.launch();
  try {
    for (const query of queries) process.stdout.write(JSON.stringify(await resultsFor(browser, base, query)) + "\n");
  } finally {
    await browser.close();
  }
})().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
