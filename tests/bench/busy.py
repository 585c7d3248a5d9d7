#!/usr/bin/env python3
"""How busy the cores were during one build, from perf samples: where a stage leaves a core idle.

In:  `perf script -F tid,time` of a `perf record -F HZ` run (stdin).
Out: the share of all cores busy in each time slice (100 = every core sampled every tick), and the idle core-seconds.

Usage:
  perf record -q -F 999 -o /tmp/build.data target/release/digest build --seeds … --content … --out …
  perf script -i /tmp/build.data -F tid,time | python3 tests/bench/busy.py --hz 999 --cores 2 [--slice 0.1]
"""
import argparse
import collections
import re
import sys


def main():
    args = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    args.add_argument("--hz", type=float, required=True, help="the -F given to perf record")
    args.add_argument("--cores", type=int, required=True)
    args.add_argument("--slice", type=float, default=0.1, help="seconds per slice (default 0.1)")
    opts = args.parse_args()

    times = [float(m.group(1)) for m in (re.match(r"^\s*\d+\s+([\d.]+):", line) for line in sys.stdin) if m]
    if not times:
        sys.exit("no samples on stdin (expected `perf script -F tid,time` output)")
    start = times[0]
    counts = collections.Counter(int((t - start) / opts.slice) for t in times)
    full = opts.cores * opts.slice * opts.hz
    slices = range(max(counts) + 1)
    idle = sum(max(0.0, full - counts[i]) for i in slices) / opts.hz
    print(f"{times[-1] - start:.2f} s sampled, {idle:.2f} idle core-seconds")
    print(" ".join(f"{min(100, round(100 * counts[i] / full))}" for i in slices))


if __name__ == "__main__":
    main()
