// The search tokenizer of src/search/tokenize.rs, rule for rule (see the rules there). Loaded by search.html as a
// plain script (defines the global `DigestTokenizer`) and by node in the parity test (module.exports).
(function (root) {
  "use strict";
  var CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;
  var WORD = /^[\p{Alphabetic}\p{Nd}]$/u;
  var WHITE = /^\p{White_Space}$/u;

  function foldWidth(c) {
    var code = c.codePointAt(0);
    if (code >= 0xff01 && code <= 0xff5e) return String.fromCodePoint(code - 0xfee0);
    if (code === 0x3000) return " ";
    return c;
  }

  function isAscii(c) {
    return c.codePointAt(0) < 0x80;
  }

  function isCjk(c) {
    if (isAscii(c)) return false;
    var code = c.codePointAt(0);
    if (code >= 0x4e00 && code <= 0x9fff) return true;
    return CJK.test(c);
  }

  function isWord(c) {
    if (isAscii(c)) return /^[0-9A-Za-z]$/.test(c);
    return !isCjk(c) && WORD.test(c);
  }

  function isDigit(c) {
    return c !== undefined && c >= "0" && c <= "9";
  }

  function wordEnd(chars, start) {
    var end = start;
    for (;;) {
      if (end < chars.length && isWord(chars[end])) end++;
      else if (chars[end] === "." && isDigit(chars[end - 1]) && isDigit(chars[end + 1])) end++;
      else break;
    }
    if (chars[end] === "%" && isDigit(chars[end - 1])) end++;
    return end;
  }

  function pushGrams(run, tokens) {
    for (var i = 0; i < run.length; i++) {
      tokens.push(run[i]);
      if (i + 1 < run.length) tokens.push(run[i] + run[i + 1]);
    }
  }

  function tokenize(text) {
    var chars = Array.from(text, foldWidth);
    var tokens = [];
    var i = 0;
    while (i < chars.length) {
      if (isCjk(chars[i])) {
        var run = [chars[i]];
        var end = i + 1;
        for (;;) {
          var next = end;
          while (next < chars.length && WHITE.test(chars[next])) next++;
          if (next < chars.length && isCjk(chars[next])) { run.push(chars[next]); end = next + 1; }
          else break;
        }
        pushGrams(run, tokens);
        i = end;
      } else if (isWord(chars[i])) {
        var wend = wordEnd(chars, i);
        tokens.push(chars.slice(i, wend).join("").toLowerCase());
        i = wend;
      } else {
        i++;
      }
    }
    return tokens;
  }

  // The text as the final check compares it: width folded, lower-cased, whitespace removed.
  function normalizeForMatch(text) {
    if (!/[\s\u0085\uFF01-\uFF5E]/.test(text) && text === text.toLowerCase()) return text;
    return text
      .replace(/[\uFF01-\uFF5E\u3000]/g, foldWidth)
      .replace(/\p{White_Space}/gu, "")
      .toLowerCase();
  }

  var api = { tokenize: tokenize, normalizeForMatch: normalizeForMatch, foldWidth: foldWidth };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.DigestTokenizer = api;
})(this);
