// The search index in the page: loads only the shards a query needs (each a <script>, so it works from file://),
// decodes postings, and ranks the documents that have every token. The page (search.js) confirms and shows them.
// Index format: src/search/mod.rs and src/search/encode.rs.
(function () {
  "use strict";
  var T = window.DigestTokenizer;
  var ALPHABET = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  var BASE = 46;
  var DIGIT = {};
  for (var a = 0; a < ALPHABET.length; a++) DIGIT[ALPHABET.charCodeAt(a)] = a;

  // Loaded shards, and work kept across queries: decoded entries by shard and token, normalized texts.
  var store = { config: null, facets: null, terms: {}, texts: {}, scripts: {}, entries: {}, normalized: new Map() };
  // What the shard scripts call as they load, and every script requested, in order (tests and benchmarks read it).
  window.__digestSearch = {
    config: function (c) { store.config = c; },
    facets: function (f) { store.facets = f; },
    terms: function (i, data) { store.terms[i] = data; },
    texts: function (i, data) { store.texts[i] = data; },
    loaded: [],
  };

  // ---- loading --------------------------------------------------------------------------------------------
  function load(src) {
    if (!store.scripts[src]) {
      store.scripts[src] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.fetchPriority = "high";
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

  // Every hit has every token, so when a token's documents are no more than `eager`, their texts are requested as
  // soon as its shard is in, while the other tokens' shards are still loading.
  function loadTerms(tokens, eager) {
    var m = store.config;
    return Promise.all(tokens.map(function (t) {
      var i = shardOf(t, m.termShards);
      return loadTermShard(i).then(function () {
        var lists = entryOf(i, t);
        if (lists && lists.frequent.length + lists.others.length <= eager) {
          loadTexts(lists.frequent.concat(lists.others)).catch(function () {});
        }
        return lists;
      });
    }));
  }

  function loadTermShard(i) { return load("search/terms/" + pad(i, store.config.termShards) + ".js"); }

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
  // (Asking for every other bigram only, which would load fewer shards, was tried: the bigrams it leaves out are
  // often the rare ones across a word boundary, 凤实 in 金凤实验室, and the candidates that then fail the final check
  // cost more text shards than the term shards saved.)
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

  window.DigestIndex = {
    store: store, loadConfig: loadConfig, loadFacets: loadFacets, loadTerms: loadTerms, loadTexts: loadTexts,
    docOf: docOf, requiredTokens: requiredTokens, contains: contains, normalized: normalized, candidates: candidates,
  };
})();
