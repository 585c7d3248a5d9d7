// Prints, one JSON object a line, the page tokenizer's tokens and match-normalized text for each case of a tokenizer_cases.txt file.
// Usage: node tokenize_cases.js CASES_FILE. Run by `cargo test` (tests/it/search.rs) for Rust/JS parity.
"use strict";
const fs = require("fs");
const path = require("path");
const tokenizer = require(path.join(__dirname, "../../themes/default/static/search-tokenizer.js"));

function unescape(line) {
  return line.replace(/\\t/g, "\t").replace(/\\u\{([0-9A-Fa-f]+)\}/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16)));
}

const lines = fs.readFileSync(process.argv[2], "utf8").split("\n");
for (const line of lines) {
  if (line.startsWith("#") || line === "") continue;
  const text = unescape(line);
  const out = { tokens: tokenizer.tokenize(text), normalized: tokenizer.normalizeForMatch(text) };
  process.stdout.write(JSON.stringify(out) + "\n");
}
