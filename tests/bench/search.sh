#!/bin/sh
# Search benchmark: generates N one-article pages, builds them with the release binary, measures in headless
# Chromium from file:// (tests/bench/search_bench.js). Usage: tests/bench/search.sh [N ...]   (default: 1000 10000)
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-$(mktemp -d)}
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
sizes=${*:-1000 10000}
for size in $sizes; do
  (
    dir="$work/search-$size"
    python3 "$repo/tests/bench/search_corpus.py" --articles "$size" --seed 1 --out "$dir/seeds" >/dev/null
    (cd "$repo" && ./target/release/digest build --seeds "$dir/seeds" --content "$dir/content" --out "$dir/public" \
      --theme "$repo/themes/default")
    echo "== $size articles"
    node "$repo/tests/bench/search_bench.js" "$dir/public" "$dir/content"
  )
done
