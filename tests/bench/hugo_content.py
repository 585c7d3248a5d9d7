#!/usr/bin/env python3
"""Copies digest's content/*.md for the Hugo benchmark site, adding one front-matter key Hugo needs.

In:  digest's content folder (annotated Markdown, YAML front matter between `---` lines).
Out: the same files in the target folder, each with `author_names: [...]` added as the first front-matter key:
     Hugo taxonomies take a flat list of strings, while digest's `authors` is a list of maps (name, role,
     affiliation). Nothing else changes, so Hugo renders exactly what digest renders.

Usage: hugo_content.py CONTENT_DIR TARGET_DIR
"""

import json
import re
import sys
from pathlib import Path

NAME = re.compile(r"^\s*-?\s*name:\s*(.+?)\s*$")


def author_names(front_matter):
    """Names under the top-level `authors:` key, in byline order."""
    names, inside = [], False
    for line in front_matter.splitlines():
        if not line.startswith((" ", "-")):
            inside = line.startswith("authors:")
            continue
        match = NAME.match(line) if inside else None
        if match:
            names.append(match.group(1).strip("'\""))
    return names


def convert(text):
    if not text.startswith("---\n"):
        return text
    end = text.find("\n---", 4)
    names = author_names(text[4:end]) if end > 0 else []
    return "---\nauthor_names: " + json.dumps(names, ensure_ascii=False) + "\n" + text[4:]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(source.glob("*.md")):
        (target / path.name).write_text(convert(path.read_text(encoding="utf-8")), encoding="utf-8")
        count += 1
    print(f"{count} files from {source} to {target}")


if __name__ == "__main__":
    main()
