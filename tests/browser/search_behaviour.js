// Checks the search page's behaviour in headless Chromium and prints one JSON object of observations:
// query from the URL, a new query through the form (URL updated by pushState), the back button (popstate),
// the theme and author filters, the empty-query and no-result states, <mark> highlighting, and a query typed into
// the empty page (the index files it needs are loaded while it is typed).
// Usage: node search_behaviour.js BASE_URL FIRST_QUERY SECOND_QUERY
"use strict";
const { Browser } = require("./cdp");

const state = (q) => `(() => { const r = document.getElementById("search-results");
  return r.dataset.query === ${JSON.stringify(q)} && ["done", "empty", "idle"].includes(r.dataset.state) && ({
    state: r.dataset.state,
    url: location.search,
    input: document.getElementById("search-input").value,
    hrefs: Array.from(r.querySelectorAll("a"), (a) => a.getAttribute("href")),
    marks: Array.from(r.querySelectorAll("mark"), (m) => m.textContent),
    status: document.getElementById("search-status").textContent,
    themes: Array.from(document.getElementById("search-theme").options, (o) => o.value).filter(Boolean),
    authors: (document.getElementById("search-author").dispatchEvent(new Event("focus")),
      Array.from(document.getElementById("search-author-list").options, (o) => o.value)),
  }); })()`;

async function submit(browser, fields) {
  await browser.evaluate(`(() => {
    const f = ${JSON.stringify(fields)};
    for (const k of Object.keys(f)) document.getElementById("search-" + k).value = f[k];
    document.getElementById("search-form").requestSubmit();
  })()`);
}

(async () => {
  const [base, first, second] = process.argv.slice(2);
  const browser = await Browser.launch();
  const seen = {};
  try {
    await browser.navigate(`${base}search.html?q=${encodeURIComponent(first)}`);
    seen.fromUrl = await browser.waitFor(state(first));
    await submit(browser, { input: second });
    seen.submitted = await browser.waitFor(state(second));
    await browser.evaluate("history.back()");
    seen.back = await browser.waitFor(state(first));
    const theme = seen.back.themes[0];
    await submit(browser, { input: first, theme });
    seen.themeFiltered = Object.assign({ theme }, await browser.waitFor(state(first)));
    const author = seen.back.authors[0];
    if (author) {
      await submit(browser, { input: first, theme: "", author });
      seen.authorFiltered = Object.assign({ author }, await browser.waitFor(state(first)));
    }
    await browser.navigate(`${base}search.html`);
    seen.empty = await browser.waitFor(state(""));
    // A query typed into the empty page: what it needs is loaded while it is typed, nothing is left for submitting.
    const before = await browser.evaluate("__digestSearch.loaded.length");
    await browser.evaluate(`(() => { const box = document.getElementById("search-input");
      box.value = ${JSON.stringify(second)}; box.dispatchEvent(new InputEvent("input", { bubbles: true })); })()`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    seen.loadedWhileTyping = await browser.evaluate(`__digestSearch.loaded.slice(${before})`);
    await submit(browser, { input: second });
    seen.typedAndSubmitted = await browser.waitFor(state(second));
    seen.loadedAfterSubmitting =
      await browser.evaluate(`__digestSearch.loaded.slice(${before + seen.loadedWhileTyping.length})`);
    await browser.navigate(`${base}search.html?q=${encodeURIComponent("不存在的词语组合")}`);
    seen.none = await browser.waitFor(state("不存在的词语组合"));
    // A pasted query is whole: its loading starts at once, not after the pause that typing waits for. The page's
    // prefetch timer was set first, so a zero-delay timer set after it runs after it.
    await browser.navigate(`${base}search.html`);
    await browser.waitFor(state(""));
    seen.loadedOnPaste = await browser.evaluate(`(async () => {
      const before = __digestSearch.loaded.length, box = document.getElementById("search-input");
      box.value = ${JSON.stringify(first)};
      box.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
      await new Promise((resolve) => setTimeout(resolve, 0));
      return __digestSearch.loaded.slice(before); })()`);
    process.stdout.write(JSON.stringify(seen) + "\n");
  } finally {
    await browser.close();
  }
})().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
