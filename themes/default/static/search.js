// The search page: reads ?q= (and theme=, author=), asks the index (search-index.js) for the documents that have
// every token of the query, confirms that the query occurs in the title, an author or the body (whitespace, case
// and width ignored), ranks title hits first and shows results with highlighted snippets.
(function () {
  "use strict";
  var T = window.DigestTokenizer;
  var I = window.DigestIndex;
  // Results per page: each needs its document's text shard (one more script to load) for the final check and
  // the snippet, so a page of 10 keeps a query within its time budget; "显示更多" shows 10 more.
  var PAGE = 10;
  var timings = { ready: null, runs: [] };
  window.__digestSearch.timings = timings;
  window.__digestSearch.run = function (q) { return runQuery({ q: q, theme: "", author: "" }); };

  // While the reader types the next query, what it will need is loaded: the term shards of its tokens, then the
  // text shards of its first page of candidates (before any theme or author filter), so that little is left to load
  // when it is submitted. Not while an input method is composing: the box then holds pinyin. Typing waits for a
  // pause; a paste or drop is the whole query at once, so its loading starts at once.
  var PREFETCH_AFTER = 150, prefetchTimer = 0;
  function prefetch(event) {
    if (event.isComposing || !I.store.config) return;
    clearTimeout(prefetchTimer);
    var whole = event.inputType === "insertFromPaste" || event.inputType === "insertFromDrop";
    prefetchTimer = setTimeout(function () {
      var tokens = I.requiredTokens(el.input.value);
      if (!tokens.length) return;
      I.loadTerms(tokens, PAGE).then(function (entries) {
        if (!entries.every(Boolean)) return undefined;
        return I.loadTexts(I.candidates(entries, []).slice(0, PAGE).map(function (c) { return c.doc; }));
      }).catch(function () {});
    }, whole ? 0 : PREFETCH_AFTER);
  }

  // Confirms candidates in rank order until `target` hits are confirmed or none are left; shows the hits so far
  // while it needs another round. (Showing the first hits before the whole page is confirmed was tried twice, last
  // at half a page: they came no sooner than the whole page had, and the whole page 2–4 ms later, since each
  // showing lays the list out on the thread the loading waits for.)
  function confirmMore(run, target) {
    var batch = run.list.slice(run.next, run.next + target - run.hits.length);
    if (!batch.length) return Promise.resolve();
    run.rounds++;
    return I.loadTexts(batch.map(function (c) { return c.doc; })).then(function () {
      batch.forEach(function (c) { if (check(run, c)) run.hits.push(c); });
      run.next += batch.length;
      if (run.hits.length >= target || run.next >= run.list.length || run !== current) return undefined;
      render(run, true);
      return confirmMore(run, target);
    });
  }

  // Whether the query occurs in the candidate's title (exact 2), an author (1) or its body.
  function check(run, c) {
    var doc = I.docOf(c.doc);
    c.exact = I.contains(doc[1], run.q) ? 2 : doc[4].some(function (a) { return I.contains(a, run.q); }) ? 1 : 0;
    return c.exact > 0 || I.contains(doc[5], run.q);
  }

  // ---- the page -------------------------------------------------------------------------------------------
  var el = {};
  var current = null;

  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  // Ranges [start, end) of `text` (UTF-16 offsets) where the normalized query occurs within text[from, to).
  function matchRanges(text, q, from, to) {
    var p = prepared(text, from, to), norm = p.norm, origin = p.origin;
    var ranges = [];
    for (var at = norm.indexOf(q); at >= 0 && q; at = norm.indexOf(q, at + q.length)) {
      var last = origin[at + q.length - 1];
      ranges.push([origin[at], last + String.fromCodePoint(text.codePointAt(last)).length]);
    }
    return ranges;
  }

  // text[from, to) normalized character by character, and where in `text` each normalized character comes from.
  function prepared(text, from, to) {
    var pieces = [], origin = [];
    for (var i = from; i < to; ) {
      var code = text.codePointAt(i), len = code > 0xffff ? 2 : 1;
      var piece = normalizeChar(code, text, i, len);
      for (var k = 0; k < piece.length; k++) origin.push(i);
      pieces.push(piece);
      i += len;
    }
    origin.push(to);
    return { norm: pieces.join(""), origin: origin };
  }

  // Where in `text` the character `at` of its normalized form comes from.
  function originOf(text, at) {
    for (var i = 0, n = 0; i < text.length; ) {
      var code = text.codePointAt(i), len = code > 0xffff ? 2 : 1;
      n += normalizeChar(code, text, i, len).length;
      if (n > at) return i;
      i += len;
    }
    return text.length;
  }

  // One character as normalizeForMatch would make it (fast paths for ASCII and CJK ideographs).
  function normalizeChar(code, text, i, len) {
    if (code < 0x80) {
      if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return "";
      return code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : text[i];
    }
    if (code >= 0x4e00 && code <= 0x9fff) return text[i];
    return T.normalizeForMatch(text.substr(i, len));
  }

  function highlight(text, ranges, from, to) {
    var html = "", pos = from;
    ranges.forEach(function (r) {
      if (r[1] <= from || r[0] >= to) return;
      var s = Math.max(r[0], pos), e = Math.min(r[1], to);
      if (s < pos) return;
      html += escapeHtml(text.slice(pos, s)) + "<mark>" + escapeHtml(text.slice(s, e)) + "</mark>";
      pos = e;
    });
    return html + escapeHtml(text.slice(pos, to));
  }

  // About 150 characters of the body around the query's first match, from the start of its sentence when that is
  // near, with every match marked. Only the window is prepared for marking, not the whole body (thousands of
  // characters); `edge` lets a match that begins just outside the window be marked where it reaches into it.
  function snippet(body, q) {
    var at = I.normalized(body).indexOf(q);
    var first = at < 0 ? 0 : originOf(body, at);
    var from = Math.max(0, first - 40), to = Math.min(body.length, first + 110);
    while (from > 0 && from > first - 60 && !/[。！？\n]/.test(body[from - 1])) from--;
    var edge = 2 * q.length + 8;
    var ranges = matchRanges(body, q, Math.max(0, from - edge), Math.min(body.length, to + edge));
    var html = highlight(body, ranges, from, to).replace(/\n/g, " ");
    return (from > 0 ? "…" : "") + html + (to < body.length ? "…" : "");
  }

  function hitHtml(c, q) {
    var doc = I.docOf(c.doc);
    var facts = [doc[4].join("、"), doc[2], doc[3]].filter(Boolean);
    return '<li class="search-hit"><a href="articles/' + encodeURIComponent(doc[0]) + '.html">' +
      highlight(doc[1], matchRanges(doc[1], q, 0, doc[1].length), 0, doc[1].length) + "</a>" +
      '<div class="search-hit-meta">' + facts.map(escapeHtml).join(" · ") + "</div>" +
      '<p class="search-snippet">' + snippet(doc[5], q) + "</p></li>";
  }

  function setStatus(text, state) {
    el.status.textContent = text;
    el.results.setAttribute("data-state", state);
  }

  // The state says "loading" at once; the words only if the query is still loading after LOADING_SHOWN ms, since
  // showing them costs a layout and paint while the shards load, and a query is usually done sooner.
  var LOADING_SHOWN = 80;
  function loading(query) {
    el.results.setAttribute("data-state", "loading");
    setTimeout(function () {
      if (current && current.query === query && el.results.getAttribute("data-state") === "loading") {
        setStatus("正在检索「" + query + "」…", "loading");
      }
    }, LOADING_SHOWN);
  }

  // Shows every hit confirmed so far, those with the query in the title or an author's name first (the heading
  // tier of `candidates` only knows that all tokens are there); `partial` while the page is being confirmed.
  function render(run, partial) {
    run.hits.sort(function (x, y) {
      return (y.exact - x.exact) || (y.heading - x.heading) || (y.score - x.score) || (x.doc - y.doc);
    });
    el.results.innerHTML = run.hits.map(function (c) { return c.html || (c.html = hitHtml(c, run.q)); }).join("");
    var done = run.next >= run.list.length;
    el.more.hidden = done || partial;
    if (run.hits.length && !run.shown) run.shown = performance.now();
    if (partial) {
      setStatus("已找到 " + run.hits.length + " 篇，继续检索…", "partial");
      return;
    }
    if (!run.hits.length) setStatus("没有找到包含「" + run.query + "」的文章。试试更短的词，或去掉筛选条件。", "empty");
    else setStatus((done ? "共 " : "至少 ") + run.hits.length + " 篇文章包含「" + run.query + "」" +
      (done ? "" : "（候选 " + run.list.length + " 篇，点“显示更多”继续）"), "done");
    el.results.setAttribute("data-query", run.query);
  }

  // Tabs and line breaks separate a shard's entries, so names have them as spaces (src/search/mod.rs).
  function filterKeys(params) {
    var key = function (kind, name) { return kind + ":" + name.replace(/[\t\n\r]/g, " "); };
    return (params.theme ? [key("theme", params.theme)] : []).concat(params.author ? [key("author", params.author)] : []);
  }

  function runQuery(params) {
    var started = performance.now();
    var query = params.q.trim(), q = T.normalizeForMatch(query);
    var tokens = I.requiredTokens(query);
    el.results.setAttribute("data-query", query);
    if (!q) { el.results.innerHTML = ""; el.more.hidden = true; setStatus("请输入检索词，例如 陆海新通道、算力券、2024年。", "idle"); return Promise.resolve(); }
    if (!tokens.length) { el.results.innerHTML = ""; el.more.hidden = true; setStatus("检索词里需要有汉字、字母或数字。", "empty"); return Promise.resolve(); }
    loading(query);
    var run = current = { query: query, q: q, hits: [], list: [], next: 0, start: 0, rounds: 0 };
    var phases = {}, loadedBefore = window.__digestSearch.loaded.length, termScripts = 0;
    var lap = function (name) { phases[name] = performance.now() - started; };
    var filters = filterKeys(params);
    return I.loadConfig().then(function () {
      lap("config");
      return I.loadTerms(tokens.concat(filters), PAGE);
    }).then(function (entries) {
      if (run !== current) return;
      lap("terms");
      termScripts = window.__digestSearch.loaded.length - loadedBefore;
      run.list = entries.every(Boolean) ? I.candidates(entries.slice(0, tokens.length), entries.slice(tokens.length)) : [];
      lap("ranked");
      return confirmMore(run, PAGE).then(function () {
        if (run !== current) return;
        lap("checked");
        render(run, false);
        lap("rendered");
        phases.shown = (run.shown || performance.now()) - started;
        if (!timings.shown) timings.shown = started + phases.shown;
        timings.runs.push({ query: query, ms: performance.now() - started, shown: phases.shown, phases: phases,
          rounds: run.rounds, candidates: run.list.length, termScripts: termScripts,
          scripts: window.__digestSearch.loaded.length - loadedBefore });
      });
    }).catch(function (err) {
      setStatus("检索索引未能加载：" + err.message, "error");
    });
  }

  function showMore() {
    var run = current;
    if (!run) return;
    run.start = run.hits.length;
    confirmMore(run, run.start + PAGE).then(function () { if (run === current) render(run, false); });
  }

  // Themes are few (a select); authors can be thousands, so their suggestions are filled on first focus.
  function fillFilters(params) {
    if (el.theme.options.length <= 1) {
      I.store.facets.themes.forEach(function (name) { el.theme.add(new Option(name, name)); });
    }
    el.theme.value = params.theme || "";
    el.author.value = params.author || "";
  }

  function suggestAuthors() {
    var list = document.getElementById("search-author-list");
    if (!I.store.facets || list.options.length) return;
    list.innerHTML = I.store.facets.authors.map(function (a) { return '<option value="' + escapeHtml(a) + '">'; }).join("");
  }

  function paramsFromUrl() {
    var u = new URLSearchParams(location.search);
    return { q: u.get("q") || "", theme: u.get("theme") || "", author: u.get("author") || "" };
  }

  function showParams(params) {
    el.input.value = params.q;
    if (I.store.facets) fillFilters(params);
    return runQuery(params);
  }

  function onSubmit(event) {
    event.preventDefault();
    var params = { q: el.input.value, theme: el.theme.value, author: el.author.value.trim() };
    var u = new URLSearchParams();
    u.set("q", params.q.trim());
    if (params.theme) u.set("theme", params.theme);
    if (params.author) u.set("author", params.author);
    history.pushState(params, "", "?" + u.toString());
    runQuery(params);
  }

  document.addEventListener("DOMContentLoaded", function () {
    timings.ready = performance.now();
    ["form", "input", "theme", "author", "status", "results", "more"].forEach(function (k) {
      el[k] = document.getElementById("search-" + k);
    });
    el.form.addEventListener("submit", onSubmit);
    el.input.addEventListener("input", prefetch);
    el.theme.addEventListener("change", function () { el.form.requestSubmit(); });
    el.author.addEventListener("change", function () { el.form.requestSubmit(); });
    el.author.addEventListener("focus", suggestAuthors);
    el.more.addEventListener("click", showMore);
    window.addEventListener("popstate", function () { showParams(paramsFromUrl()); });
    var params = paramsFromUrl();
    I.loadFacets().then(function () { fillFilters(params); }, function () {});
    showParams(params).then(function () { timings.first = performance.now(); });
  });
})();
