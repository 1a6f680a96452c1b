"""Rewrite hooks/baocao/deploy/inline-scripts.json, the committed list of the theme's inline
scripts that the served site's CSP allows, from a site built with the installed theme.

Run it only after a deliberate theme upgrade, and read the diff: every script it adds will
be allowed to run on every page.

    NO_MKDOCS_2_WARNING=1 mkdocs build -d /tmp/site
    python tools/csp/update-inline-scripts.py /tmp/site
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

from baocao.deploy import csp


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "index.html").is_file():
        print(__doc__, file=sys.stderr)
        return 2
    scripts = csp.theme_scripts(Path(argv[0]))
    document = {
        "about": ("SHA-256 of every inline script the theme writes into the pages, with its text: the "
                  "served site's CSP allows these and no other (hooks/baocao/deploy/csp.py). Rewritten by "
                  "tools/csp/update-inline-scripts.py after a deliberate theme upgrade; review the diff."),
        "material": version("mkdocs-material"),
        "scripts": scripts,
    }
    csp.KNOWN.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{csp.KNOWN}: {len(scripts)} scripts, Material {document['material']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
