// The search page: reads ?q= (and theme=, author=), loads only the index shards the query needs (each a <script>,
// so it works from file://), ANDs the query's tokens, confirms that the query occurs in the title, an author or the
// body (whitespace, case and width ignored), ranks title hits first and shows results with highlighted snippets.
// Index format: src/search/mod.rs and src/search/encode.rs.
(function () {
  "use strict";
  var T = window.DigestTokenizer;
  // Results per page: each needs its document's text shard (one more script to load) for the final check and
  // the snippet, so a page of 10 keeps a query within its time budget; "显示更多" shows 10 more.
  var PAGE = 10;
  var ALPHABET = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  var BASE = 46;
  var DIGIT = {};
  for (var a = 0; a < ALPHABET.length; a++) DIGIT[ALPHABET.charCodeAt(a)] = a;

  // Loaded shards, and work kept across queries: decoded entries by shard and token, normalized texts.
  var store = { config: null, facets: null, terms: {}, texts: {}, scripts: {}, entries: {}, normalized: new Map(), prepared: new Map() };
  var timings = { ready: null, runs: [] };
  window.__digestSearch = {
    config: function (c) { store.config = c; },
    facets: function (f) { store.facets = f; },
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

  // search.html loads config.js (shard counts, under 100 bytes) itself, so index loading starts at once.
  function loadConfig() { return store.config ? Promise.resolve() : load("search/config.js"); }
  function loadFacets() { return load("search/facets.js"); }

  function shardOf(token, shards) {
    var h = 0x811c9dc5;
    for (var c of token) h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0;
    return h % shards;
  }

  // A shard is one string "\ntoken\tentry\n…" (cheap to load); a token's entry is found with indexOf.
  function lookup(data, token) {
    var key = "\n" + token + "\t", at = data.indexOf(key);
    if (at < 0) return undefined;
    var start = at + key.length;
    return data.slice(start, data.indexOf("\n", start));
  }

  // Every hit has every token, so when a token's documents would fit on a page, their texts are requested as soon
  // as its shard is in, while the other tokens' shards are still loading.
  function loadTerms(tokens) {
    var m = store.config;
    return Promise.all(tokens.map(function (t) {
      var i = shardOf(t, m.termShards);
      return loadTermShard(i).then(function () {
        var lists = entryOf(i, t);
        if (lists && lists.frequent.length + lists.others.length <= PAGE) {
          loadTexts(lists.frequent.concat(lists.others)).catch(function () {});
        }
        return lists;
      });
    }));
  }

  function loadTermShard(i) { return load("search/terms/" + pad(i, store.config.termShards) + ".js"); }

  // While the reader types the next query, what it will need is loaded: the term shards of its tokens, then the
  // text shards of its first page of candidates (before any theme or author filter), so that little is left to load
  // when it is submitted. Not while an input method is composing: the box then holds pinyin. Typing waits for a
  // pause; a paste or drop is the whole query at once, so its loading starts at once.
  var PREFETCH_AFTER = 150, prefetchTimer = 0;
  function prefetch(event) {
    if (event.isComposing || !store.config) return;
    clearTimeout(prefetchTimer);
    var whole = event.inputType === "insertFromPaste" || event.inputType === "insertFromDrop";
    prefetchTimer = setTimeout(function () {
      var tokens = requiredTokens(el.input.value);
      if (!tokens.length) return;
      loadTerms(tokens).then(function (entries) {
        if (!entries.every(Boolean)) return undefined;
        return loadTexts(candidates(entries, []).slice(0, PAGE).map(function (c) { return c.doc; }));
      }).catch(function () {});
    }, whole ? 0 : PREFETCH_AFTER);
  }

  function textShard(doc) { return Math.floor(doc / store.config.textShardSize); }

  // The text shard holding `doc`, requested (once) in the order asked: results are asked for in rank order, and the
  // browser hands scripts back roughly in the order they were added.
  function loadText(doc) {
    var count = Math.ceil(store.config.docs / store.config.textShardSize);
    return load("search/texts/" + pad(textShard(doc), count) + ".js");
  }

  function loadTexts(docs) { return Promise.all(docs.map(loadText)); }

  // [stem, title, date, section, [authors], body]
  function docOf(doc) {
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

  // The decoded entry of token `t` in shard `i` (undefined if no document has it), decoded once per page.
  function entryOf(i, t) {
    var key = i + "\t" + t;
    if (!(key in store.entries)) {
      var entry = lookup(store.terms[i], t);
      store.entries[key] = entry === undefined ? undefined : decodeEntry(entry);
    }
    return store.entries[key];
  }

  // A token's entry → { frequent: [...], others: [...], heading: [...] }.
  function decodeEntry(entry, n) {
    var parts = entry.split(" ");
    var lists = { frequent: [], others: [], heading: [] };
    if (parts.length === 1) decodeList(parts[0], n, lists.others);
    else {
      decodeList(parts[0], n, lists.frequent);
      decodeList(parts[1], n, lists.others);
      decodeList(parts[2], n, lists.heading);
    }
    return lists;
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
  function contains(text, q) { return normalized(text).indexOf(q) >= 0; }

  function normalized(text) {
    var norm = store.normalized.get(text);
    if (norm === undefined) store.normalized.set(text, norm = T.normalizeForMatch(text));
    return norm;
  }

  // Documents having every token and passing every filter, in rank order: heading hits (all tokens in the title or
  // an author) first, then by score, the sum over tokens of idf, doubled where the token is frequent in the document.
  // Common phrases have thousands of candidates but few distinct scores, so candidates are grouped by tier (heading
  // and score) and a tier is put in order only when a page reaches it (sorting them all took up to 17 ms).
  function candidates(entries, filters) {
    var n = store.config.docs;
    var hits = new Uint8Array(n), heading = new Uint8Array(n), score = new Float64Array(n);
    entries.forEach(function (lists) {
      var idf = Math.log(1 + n / (lists.frequent.length + lists.others.length));
      lists.frequent.forEach(function (d) { hits[d]++; score[d] += 2 * idf; });
      lists.others.forEach(function (d) { hits[d]++; score[d] += idf; });
      lists.heading.forEach(function (d) { heading[d]++; });
    });
    filters.forEach(function (lists) { lists.others.forEach(function (d) { hits[d]++; }); });
    var tiers = new Map(), need = entries.length + filters.length, count = 0;
    for (var d = 0; d < n; d++) {
      if (hits[d] !== need) continue;
      var key = (heading[d] === entries.length ? 1e6 : 0) + score[d];
      var tier = tiers.get(key);
      if (!tier) tiers.set(key, tier = []);
      tier.push(d);
      count++;
    }
    return new Ranking(tiers, count);
  }

  // The candidates of `tiers` (tier key → documents in document order), best tier first; `slice` like an array's.
  function Ranking(tiers, count) {
    this.length = count;
    this.keys = Array.from(tiers.keys()).sort(function (x, y) { return y - x; });
    this.tiers = tiers;
    this.ordered = [];
    this.nextTier = 0;
  }

  Ranking.prototype.slice = function (from, to) {
    while (this.ordered.length < Math.min(to, this.length)) {
      var key = this.keys[this.nextTier++], heading = key >= 1e6 ? 1 : 0, score = key - heading * 1e6;
      byShard(this.tiers.get(key)).forEach(function (d) {
        this.ordered.push({ doc: d, heading: heading, score: score });
      }, this);
    }
    return this.ordered.slice(from, to);
  };

  // A tier's documents, those whose text shard holds most of the tier first (a page then needs fewer shards), then
  // in document order. `docs` is in document order, so a shard's documents are next to each other.
  function byShard(docs) {
    var groups = [];
    for (var i = 0, j; i < docs.length; i = j) {
      for (j = i; j < docs.length && textShard(docs[j]) === textShard(docs[i]); j++);
      (groups[j - i] = groups[j - i] || []).push(docs.slice(i, j));
    }
    var out = [];
    for (var size = groups.length - 1; size > 0; size--) {
      (groups[size] || []).forEach(function (g) { out.push.apply(out, g); });
    }
    return out;
  }

  // Confirms candidates in rank order until `target` hits are confirmed or none are left; shows the hits so far
  // while it needs another round. (Showing the first hits before the page is confirmed put them on screen about 10 ms
  // sooner but delayed the whole page by as much: the browser lays out and paints the list twice.)
  function confirmMore(run, target) {
    var batch = run.list.slice(run.next, run.next + target - run.hits.length);
    if (!batch.length) return Promise.resolve();
    run.rounds++;
    return loadTexts(batch.map(function (c) { return c.doc; })).then(function () {
      batch.forEach(function (c) { if (check(run, c)) run.hits.push(c); });
      run.next += batch.length;
      if (run.hits.length >= target || run.next >= run.list.length || run !== current) return undefined;
      render(run, true);
      return confirmMore(run, target);
    });
  }

  // Whether the query occurs in the candidate's title (exact 2), an author (1) or its body.
  function check(run, c) {
    var doc = docOf(c.doc);
    c.exact = contains(doc[1], run.q) ? 2 : doc[4].some(function (a) { return contains(a, run.q); }) ? 1 : 0;
    return c.exact > 0 || contains(doc[5], run.q);
  }

  // ---- the page -------------------------------------------------------------------------------------------
  var el = {};
  var current = null;

  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  // Ranges [start, end) of `text` (UTF-16 offsets) where the normalized query occurs.
  function matchRanges(text, q) {
    var p = prepared(text), norm = p.norm, origin = p.origin;
    var ranges = [];
    for (var at = norm.indexOf(q); at >= 0 && q; at = norm.indexOf(q, at + q.length)) {
      var last = origin[at + q.length - 1];
      ranges.push([origin[at], last + String.fromCodePoint(text.codePointAt(last)).length]);
    }
    return ranges;
  }

  // `text` normalized character by character, and where in `text` each normalized character comes from.
  function prepared(text) {
    var p = store.prepared.get(text);
    if (p) return p;
    var pieces = [], origin = [];
    for (var i = 0; i < text.length; ) {
      var code = text.codePointAt(i), len = code > 0xffff ? 2 : 1;
      var piece = normalizeChar(code, text, i, len);
      for (var k = 0; k < piece.length; k++) origin.push(i);
      pieces.push(piece);
      i += len;
    }
    origin.push(text.length);
    p = { norm: pieces.join(""), origin: origin };
    store.prepared.set(text, p);
    return p;
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
    var doc = docOf(c.doc);
    var facts = [doc[4].join("、"), doc[2], doc[3]].filter(Boolean);
    return '<li class="search-hit"><a href="articles/' + encodeURIComponent(doc[0]) + '.html">' +
      highlight(doc[1], matchRanges(doc[1], q), 0, doc[1].length) + "</a>" +
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
    var tokens = requiredTokens(query);
    el.results.setAttribute("data-query", query);
    if (!q) { el.results.innerHTML = ""; el.more.hidden = true; setStatus("请输入检索词，例如 陆海新通道、算力券、2024年。", "idle"); return Promise.resolve(); }
    if (!tokens.length) { el.results.innerHTML = ""; el.more.hidden = true; setStatus("检索词里需要有汉字、字母或数字。", "empty"); return Promise.resolve(); }
    loading(query);
    var run = current = { query: query, q: q, hits: [], list: [], next: 0, start: 0, rounds: 0 };
    var phases = {}, loadedBefore = window.__digestSearch.loaded.length, termScripts = 0;
    var lap = function (name) { phases[name] = performance.now() - started; };
    var filters = filterKeys(params);
    return loadConfig().then(function () {
      lap("config");
      return loadTerms(tokens.concat(filters));
    }).then(function (entries) {
      if (run !== current) return;
      lap("terms");
      termScripts = window.__digestSearch.loaded.length - loadedBefore;
      run.list = entries.every(Boolean) ? candidates(entries.slice(0, tokens.length), entries.slice(tokens.length)) : [];
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
      store.facets.themes.forEach(function (name) { el.theme.add(new Option(name, name)); });
    }
    el.theme.value = params.theme || "";
    el.author.value = params.author || "";
  }

  function suggestAuthors() {
    var list = document.getElementById("search-author-list");
    if (!store.facets || list.options.length) return;
    list.innerHTML = store.facets.authors.map(function (a) { return '<option value="' + escapeHtml(a) + '">'; }).join("");
  }

  function paramsFromUrl() {
    var u = new URLSearchParams(location.search);
    return { q: u.get("q") || "", theme: u.get("theme") || "", author: u.get("author") || "" };
  }

  function showParams(params) {
    el.input.value = params.q;
    if (store.facets) fillFilters(params);
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
    loadFacets().then(function () { fillFilters(params); }, function () {});
    showParams(params).then(function () { timings.first = performance.now(); });
  });
})();
