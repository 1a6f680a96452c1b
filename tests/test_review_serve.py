"""Review (hostile, after the merge of issues 20-26): ``baocao serve``'s incremental rebuilds
(issue 25, build/incremental.py) against the pages merged beside them.

``to_draw`` redraws, after a text-only save, the report page and the section's own page.
Since the merge of issue 22 the text of a section is also shown, word by word, on the
section page of the same slot one quarter later ("So với quý trước"), and its similarity
in the tracker: both stay stale under ``baocao serve`` (the merged
``tests/test_serve_incremental.py::test_served_site_equals_a_fresh_full_build_after_every_save``
fails on main for this reason).
"""

from __future__ import annotations

from test_serve_incremental import Server, _fresh, _write

from compare_sites import differences
from conftest import commit_all
from sample_archive import generate


def test_review_a_text_save_redraws_next_quarters_comparison(tmp_path):
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

