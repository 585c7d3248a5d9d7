#!/usr/bin/env bash
# Side-by-side scale benchmark: digest cold and warm builds against Hugo + Pagefind on the same content.
#
# In:  a digest checkout (default: this repo), the corpus generator (tests/bench/gen_corpus.py).
# Out: a Markdown table on stdout (tool, articles, wall time, peak memory, output size) and, with --results FILE,
#      the same table with the run's context in FILE. Working files go to --work (default /tmp/digest-bench).
#
# For each size it generates a synthetic corpus (about 5 articles per seed page), then times with /usr/bin/time -v:
#   digest cold        empty content/ and out/
#   digest no-op       the same build again, nothing changed
#   digest warm        after one seed page changed; its out/ and content/ must be byte-identical to a cold build of
#                      the changed corpus (checked, reported in the notes column)
#   Hugo               `hugo` on digest's content/ with the equivalent templates of tests/bench/hugo/
#   Pagefind           `pagefind --site` on Hugo's output
# A missing Hugo, Pagefind or /usr/bin/time is reported as "not available", never a failure.
#
# Usage: tests/bench/scale.sh [--sizes "1000 10000"] [--with-100k] [--repo DIR] [--bin PATH] [--work DIR]
#                             [--seed N] [--results FILE] [--no-hugo] [--no-install]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SIZES="1000 10000"
WORK=${TMPDIR:-/tmp}/digest-bench
SEED=1
BIN=""
RESULTS=""
HUGO_ON=1
INSTALL=1

while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --with-100k) SIZES="$SIZES 100000"; shift ;;
    --repo) REPO=$(cd "$2" && pwd); shift 2 ;;
    --bin) BIN=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --results) RESULTS=$2; shift 2 ;;
    --no-hugo) HUGO_ON=0; shift ;;
    --no-install) INSTALL=0; shift ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "[scale] $*" >&2; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
bytes_of() { du -sb "$1" 2>/dev/null | cut -f1; }
files_of() { find "$1" -type f | wc -l; }

# run LABEL CMD...: runs CMD, sets WALL and CPU (user + system, s) and PEAK (MiB), n/a when unknown; the command's
# output goes to $WORK/logs/LABEL.log.
run() {
  local label=$1; shift
  local out="$WORK/logs/$label"
  CPU=""
  if [ -x /usr/bin/time ]; then
    if ! /usr/bin/time -v -o "$out.time" "$@" >"$out.log" 2>&1; then
      log "FAILED: $* (see $out.log)"; tail -5 "$out.log" >&2; return 1
    fi
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
      for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.2f", s }' "$out.time")
    PEAK=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$out.time")
    CPU=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$out.time")
  else
    local start end
    start=$(date +%s.%N)
    "$@" >"$out.log" 2>&1 || { log "FAILED: $* (see $out.log)"; return 1; }
    end=$(date +%s.%N)
    WALL=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    PEAK="n/a"
    CPU="n/a"
  fi
}

ROWS=()
# row TOOL ARTICLES WALL PEAK OUTPUT NOTES: a table row; the CPU column is taken from the last run.
row() { ROWS+=("| $1 | $2 | $3 | ${CPU:-n/a} | $4 | $5 | $6 |"); CPU=""; }

find_pagefind() {
  if [ -n "${PAGEFIND:-}" ] && [ -x "$PAGEFIND" ]; then echo "$PAGEFIND"; return; fi
  if command -v pagefind >/dev/null; then command -v pagefind; return; fi
  local local_bin="$WORK/tools/node_modules/.bin/pagefind"
  if [ ! -x "$local_bin" ] && [ "$INSTALL" = 1 ] && command -v npm >/dev/null; then
    log "installing pagefind from npm into $WORK/tools"
    mkdir -p "$WORK/tools"
    npm install --prefix "$WORK/tools" --no-audit --no-fund --silent pagefind >/dev/null 2>&1 || true
  fi
  if [ -x "$local_bin" ] && "$local_bin" --version >/dev/null 2>&1; then echo "$local_bin"; fi
}

build_digest() {
  if [ -n "$BIN" ]; then return; fi
  log "building digest (release) in $REPO"
  (cd "$REPO" && cargo build --release --quiet)
  BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/digest"
}

# digest_build LABEL DIR SEEDS: one `digest build` of SEEDS into DIR/content and DIR/out.
digest_build() {
  run "$1" "$BIN" build --seeds "$3" --content "$2/content" --out "$2/out" --theme "$REPO/themes/default" \
    $VERBOSE
}

# stages LABEL: the per-stage seconds digest printed with --verbose ("  import: 1.091s"), as "import 1.09, …".
stages() {
  awk '/^ *[a-z+]+: [0-9.]+s( |$)/ { sub(/s$/, "", $2); printf "%s%s %.2f", sep, substr($1, 1, length($1) - 1), $2;
    sep = ", " }' "$WORK/logs/$1.log"
}

bench_digest() {
  local n=$1 dir="$WORK/$n"
  local seeds="$dir/seeds"
  log "$n articles: generating corpus"
  python3 "$HERE/gen_corpus.py" --articles "$n" --seed "$SEED" --out "$seeds" >/dev/null
  local pages
  pages=$(find "$seeds" -name '*.txt' | wc -l)

  rm -rf "$dir/warm" "$dir/cold"
  log "$n articles: digest cold"
  digest_build "digest-cold-$n" "$dir/warm" "$seeds" || { row digest "$n" failed - - "cold build failed"; return; }
  python3 "$HERE/split_check.py" "$seeds/pages.tsv" "$dir/warm/content" --by-layout >"$WORK/logs/split-$n.md"
  row "digest cold" "$n" "$WALL" "$PEAK" "$(mib "$(bytes_of "$dir/warm/out")")" \
    "$pages pages: importer $(head -1 "$WORK/logs/split-$n.md"); $(files_of "$dir/warm/out") files; $(stages "digest-cold-$n")"

  log "$n articles: digest no-op rebuild"
  digest_build "digest-noop-$n" "$dir/warm" "$seeds" &&
    row "digest no-op" "$n" "$WALL" "$PEAK" "$(mib "$(bytes_of "$dir/warm/out")")" \
      "nothing changed; $(stages "digest-noop-$n")"

  local victim
  victim=$(find "$seeds" -name '*.txt' | sort | sed -n "$(( (pages + 1) / 2 ))p")
  sed -i '0,/。/s//。这是基准测试改动的一句话。/' "$victim"
  log "$n articles: digest warm after changing $(basename "$victim")"
  digest_build "digest-warm-$n" "$dir/warm" "$seeds" || { row "digest warm" "$n" failed - - ""; return; }
  local wall=$WALL peak=$PEAK cpu=$CPU
  digest_build "digest-check-$n" "$dir/cold" "$seeds"
  CPU=$cpu
  local same="IDENTICAL to a cold build"
  # The build caches (.digest-*) record files' modification times, so they differ between folders by design.
  if ! diff -rq -x '.digest-*' "$dir/warm/out" "$dir/cold/out" >"$WORK/logs/diff-$n" ||
    ! diff -rq "$dir/warm/content" "$dir/cold/content" >>"$WORK/logs/diff-$n"; then
    same="DIFFERS from a cold build ($(wc -l <"$WORK/logs/diff-$n") files, see $WORK/logs/diff-$n)"
  fi
  row "digest warm" "$n" "$wall" "$peak" "$(mib "$(bytes_of "$dir/warm/out")")" "1 seed page changed; $same; $(stages "digest-warm-$n")"
}

bench_hugo() {
  local n=$1 dir="$WORK/$1"
  if [ "$HUGO_ON" = 0 ]; then return; fi
  if ! command -v hugo >/dev/null; then
    row Hugo "$n" "not available" - - "install Debian's hugo"
    row Pagefind "$n" "not available" - - ""
    return
  fi
  local site="$dir/hugo-site"
  rm -rf "$site" "$dir/hugo-out"
  mkdir -p "$site"
  cp -r "$HERE/hugo/." "$site/"
  python3 "$HERE/hugo_content.py" "$dir/cold/content" "$site/content/articles" >/dev/null
  log "$n articles: hugo"
  if run "hugo-$n" hugo --quiet --source "$site" --destination "$dir/hugo-out" --cacheDir "$dir/hugo-cache"; then
    local hwall=$WALL hpeak=$PEAK hcpu=$CPU
    row Hugo "$n" "$WALL" "$PEAK" "$(mib "$(bytes_of "$dir/hugo-out")")" \
      "$(hugo version | awk '{print $2}'); $(files_of "$dir/hugo-out") files; no search index"
  else
    row Hugo "$n" failed - - "see $WORK/logs/hugo-$n.log"; return
  fi
  if [ -z "$PAGEFIND_BIN" ]; then row Pagefind "$n" "not available" - - "npm pagefind"; return; fi
  log "$n articles: pagefind"
  if run "pagefind-$n" "$PAGEFIND_BIN" --site "$dir/hugo-out"; then
    local pcpu=$CPU
    row Pagefind "$n" "$WALL" "$PEAK" "$(mib "$(bytes_of "$dir/hugo-out/pagefind")")" \
      "$("$PAGEFIND_BIN" --version | awk '{print $2}'); index only"
    CPU=$(awk -v a="$hcpu" -v b="$pcpu" 'BEGIN{printf "%.2f", a+b}')
    row "**Hugo + Pagefind**" "$n" "$(awk -v a="$hwall" -v b="$WALL" 'BEGIN{printf "%.2f", a+b}')" \
      "$(awk -v a="$hpeak" -v b="$PEAK" 'BEGIN{print (a>b)?a:b}')" "$(mib "$(bytes_of "$dir/hugo-out")")" \
      "site + search, sum of the two"
  else
    row Pagefind "$n" failed - - "see $WORK/logs/pagefind-$n.log"
  fi
}

mkdir -p "$WORK/logs"
[ -x /usr/bin/time ] || log "/usr/bin/time missing (apt-get install -y time): peak memory will be n/a"
build_digest
VERBOSE=""
if "$BIN" build --help 2>/dev/null | grep -q -- --verbose; then VERBOSE=--verbose; fi
PAGEFIND_BIN=""
if [ "$HUGO_ON" = 1 ]; then PAGEFIND_BIN=$(find_pagefind || true); fi
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
for n in $SIZES; do
  bench_digest "$n"
  bench_hugo "$n"
done

{
  echo "digest $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?') ($(git -C "$REPO" log -1 --format=%s 2>/dev/null || true))," \
    "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo))," \
    "load average at start $LOAD, corpus seed $SEED"
  echo
  echo "| tool | articles | wall (s) | CPU (s) | peak memory (MiB) | output (MiB) | notes |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
  printf '%s\n' "${ROWS[@]}"
  for n in $SIZES; do
    if [ -f "$WORK/logs/split-$n.md" ]; then echo; echo "Articles found per page layout, $n articles:"; tail -n +2 "$WORK/logs/split-$n.md"; fi
  done
} | tee "${RESULTS:-/dev/null}"
