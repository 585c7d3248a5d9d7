// The search page: reads ?q= (and theme=, author=), loads only the index shards the query needs (each a <script>,
// so it works from file://), ANDs the query's tokens, confirms that the query occurs in the title, an author or the
// body (whitespace, case and width ignored), ranks title hits first and shows results with highlighted snippets.
// Index format: src/search/mod.rs and src/search/encode.rs.
(function () {
  "use strict";
  var T = window.DigestTokenizer;
  var PAGE = 20;
  var ALPHABET = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  var BASE = 46;
  var DIGIT = {};
  for (var a = 0; a < ALPHABET.length; a++) DIGIT[ALPHABET.charCodeAt(a)] = a;

  var store = { config: null, meta: null, terms: {}, texts: {}, scripts: {} };
  var timings = { ready: null, runs: [] };
  window.__digestSearch = {
    config: function (c) { store.config = c; },
    docs: function (m) { store.meta = m; },
    terms: function (i, data) { store.terms[i] = data; },
    texts: function (i, data) { store.texts[i] = data; },
    loaded: [],
    timings: timings,
    run: function (q) { return runQuery({ q: q, theme: "", author: "" }); },
  };

  // ---- loading --------------------------------------------------------------------------------------------
  function load(src) {
    if (!store.scripts[src]) {
      store.scripts[src] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () { resolve(); };
        s.onerror = function () { reject(new Error("cannot load " + src)); };
        window.__digestSearch.loaded.push(src);
        document.head.appendChild(s);
      });
    }
    return store.scripts[src];
  }

  function pad(n, count) {
    var width = Math.max(3, String(Math.max(count - 1, 0)).length);
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }

  function loadConfig() { return load("search/config.js"); }
  function loadMeta() { return load("search/docs.js"); }

  function shardOf(token, shards) {
    var h = 0x811c9dc5;
    for (var c of token) h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0;
    return h % shards;
  }

  function loadTerms(tokens) {
    var m = store.config;
    return Promise.all(tokens.map(function (t) {
      var i = shardOf(t, m.termShards);
      return load("search/terms/" + pad(i, m.termShards) + ".js").then(function () { return store.terms[i][t]; });
    }));
  }

  function textShard(doc) { return Math.floor(doc / store.config.textShardSize); }

  function loadTexts(docs) {
    var count = Math.ceil(store.config.docs / store.config.textShardSize);
    var shards = {};
    docs.forEach(function (d) { shards[textShard(d)] = true; });
    return Promise.all(Object.keys(shards).map(function (i) {
      return load("search/texts/" + pad(+i, count) + ".js");
    }));
  }

  function bodyOf(doc) {
    var size = store.config.textShardSize;
    return store.texts[Math.floor(doc / size)][doc % size];
  }

  // ---- postings -------------------------------------------------------------------------------------------
  function decodeList(list, n, out) {
    if (!list) return;
    var i;
    if (list[0] === "b") {
      for (i = 1; i < list.length; i++) {
        var bits = DIGIT[list.charCodeAt(i)];
        for (var bit = 0; bit < 6; bit++) if (bits & (1 << bit)) out.push((i - 1) * 6 + bit);
      }
      return;
    }
    var next = 0, acc = 0;
    for (i = 1; i < list.length; i++) {
      var d = DIGIT[list.charCodeAt(i)];
      if (d >= BASE) acc = (acc + d - BASE + 1) * BASE;
      else { next += acc + d; out.push(next); next++; acc = 0; }
    }
  }

  // A token's entry → { frequent: [...], others: [...] }.
  function decodeEntry(entry, n) {
    var parts = entry.split(" ");
    var frequent = [], others = [];
    if (parts.length === 2) { decodeList(parts[0], n, frequent); decodeList(parts[1], n, others); }
    else decodeList(parts[0], n, others);
    return { frequent: frequent, others: others };
  }

  // The tokens a document must have: the query's tokens, without CJK characters already inside a query bigram.
  function requiredTokens(query) {
    var tokens = T.tokenize(query);
    var seen = {}, inBigram = {};
    tokens.forEach(function (t) {
      var cs = Array.from(t);
      if (cs.length === 2 && T.tokenize(t).length === 3) { inBigram[cs[0]] = true; inBigram[cs[1]] = true; }
    });
    return tokens.filter(function (t) {
      if (seen[t] || inBigram[t]) return false;
      seen[t] = true;
      return true;
    });
  }

  // ---- matching and ranking -------------------------------------------------------------------------------
  function contains(text, q) { return T.normalizeForMatch(text).indexOf(q) >= 0; }

  // Normalized titles, authors and themes, computed once.
  var normalized = null;
  function norms() {
    if (!normalized) {
      var m = store.meta;
      normalized = {
        titles: m.docs.map(function (doc) { return T.normalizeForMatch(doc[1]); }),
        authors: m.authors.map(T.normalizeForMatch),
        themes: m.themes.map(T.normalizeForMatch),
      };
    }
    return normalized;
  }

  function candidates(tokens, entries, filter) {
    var m = store.meta, n = m.docs.length;
    var hits = new Uint8Array(n), score = new Float64Array(n);
    entries.forEach(function (entry) {
      var lists = decodeEntry(entry, n);
      var idf = Math.log(1 + n / (lists.frequent.length + lists.others.length));
      lists.frequent.forEach(function (d) { hits[d]++; score[d] += 2 * idf; });
      lists.others.forEach(function (d) { hits[d]++; score[d] += idf; });
    });
    var out = [];
    for (var d = 0; d < n; d++) if (hits[d] === tokens.length && filter(d)) out.push({ doc: d, score: score[d] });
    return out;
  }

  function rank(list, q) {
    var m = store.meta, n = norms();
    var has = function (text) { return text.indexOf(q) >= 0; };
    list.forEach(function (c) {
      var doc = m.docs[c.doc];
      c.title = has(n.titles[c.doc]);
      c.author = doc[4].some(function (a) { return has(n.authors[a]); });
      c.theme = doc[5].some(function (t) { return has(n.themes[t]); });
    });
    list.sort(function (x, y) {
      return (y.title - x.title) || (y.author - x.author) || (y.theme - x.theme) || (y.score - x.score) ||
        (m.docs[y.doc][2] < m.docs[x.doc][2] ? -1 : m.docs[y.doc][2] > m.docs[x.doc][2] ? 1 : x.doc - y.doc);
    });
    return list;
  }

  // Confirms candidates in rank order until `want` more are confirmed or none are left.
  function confirmMore(run, want) {
    var batch = run.list.slice(run.next, run.next + want);
    if (!batch.length) return Promise.resolve();
    var docs = batch.map(function (c) { return c.doc; });
    return loadTexts(docs).then(function () {
      batch.forEach(function (c) {
        if (c.title || c.author || contains(bodyOf(c.doc), run.q)) run.hits.push(c);
      });
      run.next += batch.length;
      var missing = run.start + want - run.hits.length;
      return missing > 0 && run.next < run.list.length ? confirmMore(run, missing) : undefined;
    });
  }

  // ---- the page -------------------------------------------------------------------------------------------
  var el = {};
  var current = null;

  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  // Ranges [start, end) of `text` (UTF-16 offsets) where the normalized query occurs.
  function matchRanges(text, q) {
    var pieces = [], origin = [];
    for (var i = 0; i < text.length; ) {
      var code = text.codePointAt(i), len = code > 0xffff ? 2 : 1;
      var piece = normalizeChar(code, text, i, len);
      for (var k = 0; k < piece.length; k++) origin.push(i);
      pieces.push(piece);
      i += len;
    }
    var norm = pieces.join("");
    origin.push(text.length);
    var ranges = [];
    for (var at = norm.indexOf(q); at >= 0 && q; at = norm.indexOf(q, at + q.length)) {
      var last = origin[at + q.length - 1];
      ranges.push([origin[at], last + String.fromCodePoint(text.codePointAt(last)).length]);
    }
    return ranges;
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

  function snippet(body, q) {
    var ranges = matchRanges(body, q);
    var first = ranges.length ? ranges[0][0] : 0;
    var from = Math.max(0, first - 40), to = Math.min(body.length, first + 110);
    while (from > 0 && from > first - 60 && !/[。！？\n]/.test(body[from - 1])) from--;
    var html = highlight(body, ranges, from, to).replace(/\n/g, " ");
    return (from > 0 ? "…" : "") + html + (to < body.length ? "…" : "");
  }

  function hitHtml(c, q) {
    var m = store.meta, doc = m.docs[c.doc];
    var authors = doc[4].map(function (a) { return m.authors[a]; }).join("、");
    var facts = [authors, doc[2], doc[3] >= 0 ? m.sections[doc[3]] : ""].filter(Boolean);
    return '<li class="search-hit"><a href="articles/' + encodeURIComponent(doc[0]) + '.html">' +
      highlight(doc[1], matchRanges(doc[1], q), 0, doc[1].length) + "</a>" +
      '<div class="search-hit-meta">' + facts.map(escapeHtml).join(" · ") + "</div>" +
      '<p class="search-snippet">' + snippet(bodyOf(c.doc), q) + "</p></li>";
  }

  function setStatus(text, state) {
    el.status.textContent = text;
    el.results.setAttribute("data-state", state);
  }

  function render(run) {
    var html = run.hits.slice(run.start).map(function (c) { return hitHtml(c, run.q); }).join("");
    if (run.start === 0) el.results.innerHTML = html;
    else el.results.insertAdjacentHTML("beforeend", html);
    var done = run.next >= run.list.length;
    el.more.hidden = done;
    if (!run.hits.length) setStatus("没有找到包含「" + run.query + "」的文章。试试更短的词，或去掉筛选条件。", "empty");
    else setStatus((done ? "共 " : "至少 ") + run.hits.length + " 篇文章包含「" + run.query + "」" +
      (done ? "" : "（候选 " + run.list.length + " 篇，点“显示更多”继续）"), "done");
    el.results.setAttribute("data-query", run.query);
  }

  function filterFor(params) {
    var m = store.meta;
    var theme = m.themes.indexOf(params.theme), author = m.authors.indexOf(params.author);
    return function (d) {
      return (!params.theme || m.docs[d][5].indexOf(theme) >= 0) && (!params.author || m.docs[d][4].indexOf(author) >= 0);
    };
  }

  function runQuery(params) {
    var started = performance.now();
    var query = params.q.trim(), q = T.normalizeForMatch(query);
    var tokens = requiredTokens(query);
    el.results.setAttribute("data-query", query);
    if (!q) { el.results.innerHTML = ""; el.more.hidden = true; setStatus("请输入检索词，例如 陆海新通道、算力券、2024年。", "idle"); return Promise.resolve(); }
    if (!tokens.length) { el.results.innerHTML = ""; el.more.hidden = true; setStatus("检索词里需要有汉字、字母或数字。", "empty"); return Promise.resolve(); }
    setStatus("正在检索「" + query + "」…", "loading");
    var run = current = { query: query, q: q, hits: [], list: [], next: 0, start: 0 };
    var phases = {};
    var lap = function (name) { phases[name] = performance.now() - started; };
    return loadConfig().then(function () {
      lap("config");
      return Promise.all([loadTerms(tokens), loadMeta()]);
    }).then(function (loaded) {
      var entries = loaded[0];
      fillFilters(params);
      if (run !== current) return;
      lap("terms");
      run.list = entries.every(Boolean) ? rank(candidates(tokens, entries, filterFor(params)), q) : [];
      lap("ranked");
      return confirmMore(run, PAGE).then(function () {
        if (run !== current) return;
        lap("texts");
        render(run);
        timings.runs.push({ query: query, ms: performance.now() - started, phases: phases });
      });
    }).catch(function (err) {
      setStatus("检索索引未能加载：" + err.message, "error");
    });
  }

  function showMore() {
    var run = current;
    if (!run) return;
    run.start = run.hits.length;
    confirmMore(run, PAGE).then(function () { if (run === current) render(run); });
  }

  function fillFilters(params) {
    var m = store.meta;
    [[el.theme, m.themes, params.theme], [el.author, m.authors, params.author]].forEach(function (f) {
      if (f[0].options.length <= 1) {
        f[1].forEach(function (name) { f[0].add(new Option(name, name)); });
      }
      f[0].value = f[2] || "";
    });
  }

  function paramsFromUrl() {
    var u = new URLSearchParams(location.search);
    return { q: u.get("q") || "", theme: u.get("theme") || "", author: u.get("author") || "" };
  }

  function showParams(params) {
    el.input.value = params.q;
    return runQuery(params);
  }

  function onSubmit(event) {
    event.preventDefault();
    var params = { q: el.input.value, theme: el.theme.value, author: el.author.value };
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
    el.theme.addEventListener("change", function () { el.form.requestSubmit(); });
    el.author.addEventListener("change", function () { el.form.requestSubmit(); });
    el.more.addEventListener("click", showMore);
    window.addEventListener("popstate", function () { showParams(paramsFromUrl()); });
    var params = paramsFromUrl();
    loadMeta().then(function () { fillFilters(params); }, function () {});
    showParams(params).then(function () { timings.first = performance.now(); });
  });
})();
