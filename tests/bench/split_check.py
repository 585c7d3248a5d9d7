#!/usr/bin/env python3
"""How many articles the importer found per generated page, against what the generator put there.

In:  `pages.tsv` written by gen_corpus.py (stem, layout, articles) and digest's content folder (`<stem>-NN.md`).
Out: one summary line on stdout; with --by-layout, a Markdown table per page layout.

Usage: split_check.py PAGES_TSV CONTENT_DIR [--by-layout]
"""

import sys
from collections import Counter, defaultdict
from pathlib import Path


def found_per_stem(content):
    found = Counter()
    for path in Path(content).glob("*.md"):
        found[path.stem.rsplit("-", 1)[0]] += 1
    return found


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    found = found_per_stem(args[1])
    rows = [line.split("\t") for line in Path(args[0]).read_text(encoding="utf-8").splitlines()[1:] if line]
    by_layout = defaultdict(lambda: [0, 0, 0, 0])  # pages, exact pages, generated, found
    for stem, layout, count in rows:
        tally = by_layout[layout]
        tally[0] += 1
        tally[1] += found[stem] == int(count)
        tally[2] += int(count)
        tally[3] += found[stem]
    pages, exact, generated, got = (sum(t[i] for t in by_layout.values()) for i in range(4))
    print(f"found {got} of {generated} generated articles; {exact}/{pages} pages "
          f"({100 * exact / max(pages, 1):.0f}%) split into exactly the generated count")
    if "--by-layout" in sys.argv:
        print("\n| layout | pages | exact count | generated | found |\n| --- | ---: | ---: | ---: | ---: |")
        for layout, (p, e, g, f) in sorted(by_layout.items()):
            print(f"| {layout} | {p} | {100 * e / p:.0f}% | {g} | {f} |")


if __name__ == "__main__":
    main()
