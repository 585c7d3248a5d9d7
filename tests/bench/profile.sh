#!/usr/bin/env bash
# Where a `digest build` spends its time: perf samples (DWARF call graphs) grouped by pipeline stage.
#
# In:  a digest binary (release, with line tables: the default profile), a seed folder (e.g. from gen_corpus.py).
# Out: on stdout, the share of CPU samples inside each stage function (inclusive, over all threads, so rayon
#      workers count too), then the hottest symbols. perf.data is kept in --work for `perf report -i`.
#
# Usage: tests/bench/profile.sh --seeds DIR [--bin PATH] [--work DIR] [--warm] [--freq HZ]
#   --warm   profile a rebuild over existing content/ and out/ (after one cold build) instead of a cold build
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/digest"
WORK=${TMPDIR:-/tmp}/digest-profile
SEEDS=""
WARM=0
FREQ=499

while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) SEEDS=$2; shift 2 ;;
    --bin) BIN=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --warm) WARM=1; shift ;;
    --freq) FREQ=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$SEEDS" ] || { echo "--seeds DIR is required" >&2; exit 2; }
command -v perf >/dev/null || { echo "perf not available (apt-get install -y linux-perf)" >&2; exit 1; }

build() { "$BIN" build --seeds "$SEEDS" --content "$WORK/content" --out "$WORK/out" --theme "$REPO/themes/default"; }
mkdir -p "$WORK"
rm -rf "$WORK/content" "$WORK/out"
if [ "$WARM" = 1 ]; then build >/dev/null; fi
perf record -q -F "$FREQ" --call-graph dwarf,16384 -o "$WORK/perf.data" -- "$BIN" build --seeds "$SEEDS" \
  --content "$WORK/content" --out "$WORK/out" --theme "$REPO/themes/default" >/dev/null 2>&1

echo "stage shares of CPU samples ($( [ "$WARM" = 1 ] && echo warm || echo cold ) build of $SEEDS):"
perf report -i "$WORK/perf.data" --children --sort sym 2>/dev/null |
  awk '/^ +[0-9.]+%/ && / digest::[a-z_]+::[A-Za-z_:]+$/ { print }' |
  grep -E 'digest::(seed|import|metrics|themes|content|site|render|search|output|cache|build)::' |
  awk '!seen[$NF]++' | head -25
echo
echo "hottest symbols (self):"
perf report -i "$WORK/perf.data" --no-children --sort dso,sym 2>/dev/null | awk '/^ +[0-9.]+%/' | head -15
