"""``baocao serve``'s incremental rebuilds (build/incremental.py) and the pages that show a
section's text beside its own: the section page of the same slot one quarter later ("So
với quý trước": word diff and similarity) and the tracker's similarity column. After a
text-only save they are drawn again, as a fresh full build draws them.
"""

from __future__ import annotations

from test_serve_incremental import Server, _fresh, _write

from compare_sites import differences
from conftest import commit_all
from sample_archive import generate


def test_a_text_save_redraws_next_quarters_comparison(tmp_path):
    root = tmp_path / "archive"
    generate(root, 6, draft_last=True)
    commit_all(root)
    served = tmp_path / "served"
    server = Server(root, served)
    try:
        server.save(_write("docs/reports/2023-q4/cong-an.md", "giữ vững sinh hoạt chi bộ",
                           "giữ vững nền nếp sinh hoạt chi bộ"))
        fresh = _fresh(root, tmp_path / "fresh")
        stale = differences(served, fresh)
        assert stale == [], stale
        page = (served / "reports/2024-q1/cong-an/index.html").read_text(encoding="utf-8")
        assert "nền nếp" in page
    finally:
        server.stop()

