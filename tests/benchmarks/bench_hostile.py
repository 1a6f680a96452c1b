"""Benchmark: the worst work one content file can cause (issue 11, bounded work per input).

For each pathological body, times ``baocao``'s text check (``hygiene.text_problems``) and,
when the check accepts the body, its conversion by the site's contributor pipeline
(Markdown alone, then the sanitiser). Bodies are sized near the file size limit, or
near the check's cost budget for the shapes the check refuses beyond it. Run by hand:

    python tests/benchmarks/bench_hostile.py

Each line: the case, its size, the check's time and verdict, the conversion's time (or
"refused"). Anything accepted must convert in well under 5 s.
"""

from __future__ import annotations

import time

from baocao.load.frontmatter import MAX_FILE_BYTES
from baocao.load.hygiene import MAX_COST, text_problems
from baocao.render.contributor import Converter
from baocao.render.links import Links

LIMIT = MAX_FILE_BYTES - 200  # room for the front matter
SIDE = int(MAX_COST ** 0.5) - 10  # the most `[`/`<`/`&` one accepted paragraph can hold


def fill(unit: str, limit: int = LIMIT) -> str:
    return unit * (limit // len(unit.encode("utf-8")))


CASES = {
    # refused by the check (sizes as in the issue)
    "[ x 100,000": "[" * 100_000,
    "<a  x 30,000": "<a " * 30_000,
    "& x 100,000": "&" * 100_000,
    "- x 600 (nested list)": "- " * 600 + "x",
    # accepted, at the edge of the budget
    f"[ x {SIDE} in one paragraph": "[" * SIDE,
    f"<b> x {SIDE // 3}": "<b>" * (SIDE // 3),
    f"[a]( x {SIDE}": "[a](" * SIDE,
    f"& x {SIDE}": "&" * SIDE,
    "one [ per paragraph, whole file": fill("[\n\n"),
    "three [ per paragraph, whole file": fill("[[[ x\n\n"),
    "*a _ (emphasis runs), whole file": fill("*a _"),
    "** x whole file": fill("*"),
    "_ x whole file": fill("_"),
    "` x whole file": fill("`"),
    "> x 16 per line, whole file": fill(">" * 16 + " x\n"),
    "indent 15 levels, whole file": fill("".join("    " * i + "- x\n" for i in range(15)) + "\n"),
    "table pipes, whole file": fill("|" * 200 + "\n" + "|-" * 100 + "\n"),
    "long line of text, whole file": fill("chữ "),
    "links, whole file": fill("[a](https://example.org/x) "),
    "fenced code, whole file": "```\n" + fill("<script>x</script>\n", LIMIT - 10) + "```\n",
    "comments, whole file": fill("<!-- x -->\n"),
    "allowed tags, whole file": fill("<p><strong>x</strong></p>\n\n"),
    "paragraphs at the block limit": "x\n\n" * 4_999,
    "list items at the line limit": "- x\n" * 9_999,
    "table rows at the line limit": "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 9_990,
    "[ at the block limit": "[\n\n" * 4_999,
    "[[[[ x at the block limit, budget": ("[" * 20 + " x\n\n") * 4_999,
    "*a _ at the budget": "*a _" * 7_000,
    "*a _ per paragraph at the block limit": ("*a _" * 25 + "\n\n") * 4_999,
    "<b> per paragraph at the block limit": ("<b>x</b> " * 10 + "\n\n") * 4_999,
}


def main() -> None:
    converter = Converter(Links(True), {"reports/2025-q3/x.md"})
    worst = ("", 0.0)
    for name, text in CASES.items():
        start = time.perf_counter()
        problems = list(text_problems("x.md", text, 8))
        checked = time.perf_counter() - start
        errors = sorted({p.code for p in problems})
        if errors:
            print(f"{name:40} {len(text.encode()) // 1024:4} KB  check {checked:6.3f} s  refused {errors}")
            continue
        start = time.perf_counter()
        converter.html(text, "reports/2025-q3/x.md", "reports/2025-q3/x.md")
        converted = time.perf_counter() - start
        worst = max(worst, (name, converted), key=lambda w: w[1])
        print(f"{name:40} {len(text.encode()) // 1024:4} KB  check {checked:6.3f} s  convert {converted:6.3f} s")
    print(f"worst accepted conversion: {worst[0]} ({worst[1]:.2f} s)")


if __name__ == "__main__":
    main()
