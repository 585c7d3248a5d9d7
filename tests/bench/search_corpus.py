#!/usr/bin/env python3
"""Synthetic seed pages of one article each, for the search benchmark: every page is gen_corpus.py's page(1), so
each imported article has a real article's size whatever the importer does with multi-article pages.

Usage: search_corpus.py --articles 10000 --seed 1 --out /tmp/corpus [--seeds seeds]
"""

import argparse
import hashlib
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_corpus  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, required=True, help="number of pages, one article each")
    ap.add_argument("--seed", type=int, default=1, help="random seed; same seed, same corpus")
    ap.add_argument("--seeds", default=str(Path(__file__).resolve().parents[2] / "seeds"), help="seed pages")
    ap.add_argument("--out", required=True, help="output folder (created; existing *.txt are removed)")
    args = ap.parse_args()
    gen = gen_corpus.Generator(random.Random(args.seed), gen_corpus.read_sentences(args.seeds))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    for i in range(args.articles):
        _layout, text = gen.page(1)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        (out / f"{i:06d}_{digest}.txt").write_text(text, encoding="utf-8")
    print(f"{args.articles} one-article pages in {out}")


if __name__ == "__main__":
    main()
