"""Issue 22: a quarter's deadlines (who is late), the calendar file, copied text and what
changed since the previous quarter.

Real commands and real builds: ``baocao new-quarter``/``status``/``check`` on a copy of
the shipped repository, ``mkdocs build`` into a temporary folder (``BAOCAO_TODAY`` fixes
the build's day), the tracker page in Chromium, the ``.ics`` read by the ``icalendar``
library's parser.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import string
from pathlib import Path

import icalendar
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.compile import compare
from baocao.load.cache import cache_dir
from conftest import mkdocs_build, run_cli
from htmltext import article, flat

Q3 = "docs/reports/2025-q3"
Q4 = "docs/reports/2025-q4"
TODAY = "2025-12-12"
SECTIONS_DUE, DUE = "2025-12-10", "2025-12-15"
#: the two sections the held quarter leaves missing.
MISSING = {"quan-su.md": "A.2.3. Tổ chức cơ sở đảng trong quân đội", "khac.md": "A.2.5. Tổ chức cơ sở đảng khác"}


def set_front(path: Path, **values) -> None:
    """Set (or add) top-level keys of a content file's front matter, text edits only."""
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    for key, value in values.items():
        line = f"{key}: {value}"
        head, count = re.subn(rf"^{key}:.*$", line, head, count=1, flags=re.M)
        if not count:
            head += "\n" + line
    path.write_text(head + "\n---\n" + body, encoding="utf-8")


def body_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def set_body(path: Path, body: str) -> None:
    head = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    path.write_text(head + "\n---\n\n" + body, encoding="utf-8")


def problems(root: Path, *args: str) -> list[dict]:
    result = run_cli(root, "check", "--format", "json", *args)
    return json.loads(result.stdout)["problems"]


# --- 1. dates in the report's front matter ------------------------------------------------


def test_new_quarter_fills_the_deadlines(repo):
    result = run_cli(repo, "new-quarter", "2025-Q4", "--due", DUE, "--sections-due", SECTIONS_DUE)
    assert result.returncode == 0, result.stderr
    meta = yaml.safe_load((repo / Q4 / "index.md").read_text(encoding="utf-8").split("---\n")[1])
    assert meta["due"] == dt.date(2025, 12, 15) and meta["sections_due"] == dt.date(2025, 12, 10)
    assert run_cli(repo, "check").stdout.strip() == "Không có lỗi."


@pytest.mark.parametrize("args, says", [
    (("--due", "15/12/2025"), "--due `15/12/2025` sai dạng; hãy viết NĂM-THÁNG-NGÀY"),
    (("--due", "2025-02-30"), "--due `2025-02-30` không phải một ngày có thật (tháng 2 năm 2025 không có ngày 30)"),
    (("--sections-due", "2025-12-15", "--due", "2025-12-15"), "--sections-due 2025-12-15 phải trước --due"),
])
def test_new_quarter_refuses_bad_deadlines_and_writes_nothing(repo, args, says):
    result = run_cli(repo, "new-quarter", "2025-Q4", *args)
    assert result.returncode == 2 and says in result.stderr, result.stderr
    assert not (repo / Q4).exists()


@pytest.mark.parametrize("values, code, line_key", [
    ({"due": "2025-12-15", "sections_due": "2025-12-15"}, "sections-due-after-due", "sections_due"),
    ({"due": "2025-12-15", "sections_due": "2025-12-20"}, "sections-due-after-due", "sections_due"),
    # 282-CV/BTCTU, the request, is dated 22/8/2025
    ({"due": "2025-08-21"}, "deadline-before-request", "due"),
    ({"due": "2025-09-30", "sections_due": "2025-08-01"}, "deadline-before-request", "sections_due"),
    ({"due": "30/9/2025"}, "date", "due"),
    ({"sections_due": "2025-02-30"}, "date-invalid", "sections_due"),
])
def test_deadline_rules(repo, values, code, line_key):
    index = repo / Q3 / "index.md"
    set_front(index, **values)
    found = problems(repo)
    assert [p["code"] for p in found] == [code], found
    line = next(n for n, text in enumerate(index.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith(f"{line_key}:"))
    assert found[0]["line"] == line and found[0]["field"] == line_key and found[0]["severity"] == "error"


def test_deadlines_on_and_after_the_request_are_accepted(repo):
    set_front(repo / Q3 / "index.md", due="2025-08-30", sections_due="2025-08-22")
    assert problems(repo) == []


# --- 2. late is visible: held dates, two sections missing ------------------------------------


@pytest.fixture(scope="module")
def held(tmp_path_factory, pristine) -> Path:
    """Quarter IV/2025 opened with its dates, every section written and sent but two
    missing; the sections' date (10/12) is past on 12/12."""
    root = tmp_path_factory.mktemp("held") / "repo"
    shutil.copytree(pristine, root)
    result = run_cli(root, "new-quarter", "2025-Q4", "--due", DUE, "--sections-due", SECTIONS_DUE)
    assert result.returncode == 0, result.stderr
    set_front(root / Q4 / "index.md", responds_to="[282-CV/BTCTU]")
    for path in sorted((root / Q4).glob("*.md")):
        if path.name in MISSING:
            path.unlink()
        elif path.name != "index.md":
            set_body(path, f"Kết quả quý IV/2025 của phần {path.stem}: đã thực hiện các nhiệm vụ mới.\n")
            set_front(path, status="submitted")
    return root


@pytest.fixture(scope="module")
def held_site(held, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("held-site") / "site"
    result = mkdocs_build(held, site, env={"BAOCAO_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    return site


def test_status_shows_who_is_late(held):
    result = run_cli(held, "status", "2025-Q4", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Hạn gửi báo cáo: 15/12/2025 (còn 3 ngày)" in lines[1]
    assert "Hạn nộp các phần: 10/12/2025 (quá hạn 2 ngày)" in lines[1]
    late = [line for line in lines if line.startswith("!")]
    assert len(late) == 2, result.stdout
    for line, label in zip(late, MISSING.values(), strict=True):
        assert label in line and "(chưa có tệp)" in line and line.endswith("QUÁ HẠN 2 NGÀY")
    police = next(line for line in lines if "cong-an.md" in line)
    assert not police.startswith("!") and "Đảng bộ Công an xã" in police and "Đã gửi" in police
    assert "Quá hạn: 2 phần" in result.stdout


def test_status_json_for_scripts(held):
    result = run_cli(held, "status", "2025-Q4", "--today", TODAY, "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert (data["today"], data["due"], data["sections_due"], data["days_to_due"]) == (TODAY, DUE, SECTIONS_DUE, 3)
    late = [s for s in data["sections"] if s["overdue"]]
    assert [(s["label"], s["state"], s["days_to_due"], s["path"]) for s in late] == [
        (label, "missing", -2, None) for label in MISSING.values()]
    assert len(data["sections"]) == 10


def test_status_today_defaults_to_the_clock_and_is_checked(held):
    on_time = run_cli(held, "status", "2025-Q4", "--today", "2025-12-01")
    assert on_time.returncode == 0 and "còn 9 ngày" in on_time.stdout
    assert not [line for line in on_time.stdout.splitlines() if line.startswith("!")]
    bad = run_cli(held, "status", "2025-Q4", "--today", "12/12/2025")
    assert bad.returncode == 2 and "--today `12/12/2025`" in bad.stderr
    today = dt.date.today()
    days = (dt.date(2025, 12, 15) - today).days
    shown = f"còn {days} ngày" if days > 0 else f"quá hạn {-days} ngày" if days < 0 else "hôm nay"
    assert shown in run_cli(held, "status", "2025-Q4").stdout


@pytest.mark.browser
def test_tracker_shows_the_late_sections_in_chromium(held_site, browser, serve):
    base = serve(held_site)
    page = browser.new_page()
    page.goto(base + "/tien-do/")
    table = page.locator("table.bc-tracker").first
    overdue = table.locator("tr.bc-overdue")
    assert overdue.count() == 2
    for i, label in enumerate(MISSING.values()):
        cells = [c.strip() for c in overdue.nth(i).locator("th, td").all_inner_texts()]
        assert cells[0] == label and cells[3] == "Chưa có" and cells[4] == "quá hạn 2 ngày", cells
    assert "Hạn nộp các phần: 10/12/2025 (quá hạn 2 ngày)" in page.locator(".bc-deadlines").first.inner_text()
    # the late rows stand out on screen and on paper: bold and shaded, unlike the others
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        styles = page.evaluate("""() => [...document.querySelectorAll('table.bc-tracker')[0].rows]
            .slice(1).map(r => { const s = getComputedStyle(r.cells[1]);
                                 return [r.className, s.fontWeight, s.backgroundColor]; })""")
        late = [s for s in styles if s[0] == "bc-overdue"]
        other = [s for s in styles if s[0] != "bc-overdue"]
        assert len(late) == 2 and all(s[1] == "700" and s[2] != "rgba(0, 0, 0, 0)" for s in late), (media, late)
        assert all(s[1] != "700" and s[2] == "rgba(0, 0, 0, 0)" for s in other), (media, other)
    page.emulate_media(media="screen")
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
    page.close()


def test_home_page_shows_the_quarter_being_collected(held_site):
    home = article((held_site / "index.html").read_text(encoding="utf-8"))
    text = flat(home)
    assert "Hạn nộp báo cáo quý IV/2025" in text and "Hạn gửi báo cáo: 15/12/2025 (còn 3 ngày)" in text
    assert home.count('class="bc-overdue"') == 2
    for label in MISSING.values():
        assert re.search(rf"{re.escape(label)}.*?quá hạn 2 ngày", text, flags=re.S)
    assert "Đảng bộ Công an xã" in text
    assert 'href="lich/han-nop-bao-cao.ics"' in home


def test_calendar_file_is_valid_and_says_who_is_late(held, held_site, tmp_path):
    raw = (held_site / "lich" / "han-nop-bao-cao.ics").read_bytes()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 2
    sections = next(e for e in events.values() if e.decoded("DTSTART") == dt.date(2025, 12, 10))
    report = next(e for e in events.values() if e.decoded("DTSTART") == dt.date(2025, 12, 15))
    for event in (sections, report):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is dt.date and end == start + dt.timedelta(days=1)  # all day
        assert event.decoded("DTSTAMP").tzinfo is not None
        assert event.walk("VALARM")
    assert str(sections["SUMMARY"]) == "Hạn nộp các phần báo cáo quý IV/2025"
    assert str(report["SUMMARY"]) == "Hạn gửi báo cáo quý IV/2025"
    description = str(sections["DESCRIPTION"])
    assert "còn 2 phần chưa nộp" in description
    for label in MISSING.values():
        assert f"- {label}" in description and description.count("quá hạn 2 ngày") == 2
    assert "282-CV/BTCTU" in str(report["DESCRIPTION"]) and "còn 3 ngày" in str(report["DESCRIPTION"])
    # the same UIDs on another day's build: a phone updates the events, never doubles them
    later = tmp_path / "site"
    assert mkdocs_build(held, later, env={"BAOCAO_TODAY": "2025-12-14"}).returncode == 0
    again = icalendar.Calendar.from_ical((later / "lich" / "han-nop-bao-cao.ics").read_bytes())
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(events)
    assert "quá hạn 4 ngày" in str(next(e for e in again.walk("VEVENT") if "phần" in str(e["SUMMARY"]))["DESCRIPTION"])


def test_no_calendar_without_a_quarter_being_collected(shipped_site):
    assert not (shipped_site / "lich").exists()
    assert ".ics" not in (shipped_site / "tien-do" / "index.html").read_text(encoding="utf-8")


def test_nginx_serves_the_calendar_as_a_calendar():
    from baocao.deploy import nginx

    assert ("text/calendar", "ics") in nginx.TYPES


# --- 4, 5. copied text; what changed ----------------------------------------------------------


@pytest.fixture
def copied(repo) -> Path:
    """Quarter IV/2025 made by copying quarter III's files word for word (a draft)."""
    shutil.copytree(repo / Q3, repo / Q4)
    index = repo / Q4 / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("period: 2025-Q3", "period: 2025-Q4")
                     .replace("status: issued", "status: draft"), encoding="utf-8")
    for path in (repo / Q4).glob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("status: approved", "status: submitted"),
                        encoding="utf-8")
    return repo


def test_a_copied_quarter_is_flagged_on_every_section(copied, tmp_path):
    found = problems(copied)
    same = sorted(p["path"] for p in found if p["code"] == "same-as-previous")
    sections = sorted(f"{Q4}/{p.name}" for p in (copied / Q4).glob("*.md") if p.name != "index.md")
    assert same == sections and len(same) == 10
    first = next(p for p in found if p["code"] == "same-as-previous")
    assert first["severity"] == "warning" and first["advisory"] is True
    assert first["message"].startswith("Phần này giống quý trước 100 %: hãy viết kết quả của quý này")
    # identical figures: the milder note, never an error
    notes = [p for p in found if p["code"] == "same-figures-as-previous"]
    assert notes and all(p["severity"] == "note" and p["field"] == "figures" for p in notes)
    assert run_cli(copied, "check").returncode == 0
    # a draft's build never fails for them, not even with --strict
    result = mkdocs_build(copied, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr
    assert "same-as-previous" in result.stderr
    tracker = flat(article((tmp_path / "site/tien-do/index.html").read_text(encoding="utf-8")))
    assert tracker.count("100 %") >= 9


def test_editing_a_copied_section_clears_its_warning_and_shows_the_changes(copied, tmp_path):
    police = copied / Q4 / "cong-an.md"
    old = body_of(police)
    assert "công tác tuyên truyền" in old.lower() or len(old.split()) > 100
    new = old.replace("Kết quả đạt được", "Kết quả quý IV đạt được rất tốt", 1)
    words = new.split()
    middle = len(words) // 2
    removed = words[middle:middle + 120]
    new = " ".join(words[:middle] + ["Chi bộ đã hoàn thành đợt cao điểm đổi thẻ đảng viên theo Chỉ thị 51."]
                   + words[middle + 120:])
    set_body(police, new)
    found = problems(copied)
    assert f"{Q4}/cong-an.md" not in [p["path"] for p in found if p["code"] == "same-as-previous"]
    assert len([p for p in found if p["code"] == "same-as-previous"]) == 9
    assert mkdocs_build(copied, tmp_path / "site").returncode == 0
    html = article((tmp_path / "site/reports/2025-q4/cong-an/index.html").read_text(encoding="utf-8"))
    view = html[html.index('<details class="bc-compare'):html.index("</details>")]
    assert "<details class=\"bc-compare bc-screen-only\" id=\"so-voi-quy-truoc\">" in view  # folded: no `open`
    inserted = " ".join(flat(part) for part in re.findall(r"<ins>(.*?)</ins>", view, flags=re.S)).split()
    deleted = " ".join(flat(part) for part in re.findall(r"<del>(.*?)</del>", view, flags=re.S)).split()
    assert "quý IV" in " ".join(inserted) and "rất tốt" in " ".join(inserted)
    assert "hoàn thành đợt cao điểm đổi thẻ" in " ".join(inserted) and "Chỉ thị 51." in " ".join(inserted)
    gone = list(compare.words(" ".join(removed)).shown)
    assert " ".join(gone[5:15]) in " ".join(deleted)
    summary = flat(view[:view.index("</summary>")])
    assert re.search(r"So với quý trước \(quý III/2025\): giống \d\d %, bỏ \d+ từ, thêm \d+ từ", summary), summary
    other = article((tmp_path / "site/reports/2025-q4/khac/index.html").read_text(encoding="utf-8"))
    assert "Phần này giống quý trước 100 %: hãy viết kết quả của quý này." in flat(other)
    assert "<del>" not in other.split("bc-word-diff", 1)[1] and "<ins>" not in other.split("bc-word-diff", 1)[1]


def test_an_issued_copy_needs_acknowledged(copied):
    set_front(copied / Q4 / "index.md", status="issued", number="50-BC/ĐU", issued_on="2025-12-20",
              missing_in_source="[]")
    for path in (copied / Q4).glob("*.md"):
        if path.name != "index.md":
            set_front(path, status="approved")
    found = [p for p in problems(copied) if p["code"] == "same-as-previous"]
    assert len(found) == 10 and all(p["severity"] == "error" for p in found)
    assert "acknowledged: true" in found[0]["message"]
    assert run_cli(copied, "check").returncode == 1
    for path in (copied / Q4).glob("*.md"):
        if path.name != "index.md":
            set_front(path, acknowledged="true")
    left = problems(copied)
    assert [p for p in left if p["severity"] == "error"] == [], left
    assert {p["code"] for p in left} == {"same-figures-as-previous"}


def test_a_second_check_takes_the_similarities_from_its_cache(copied):
    first = run_cli(copied, "check")
    cache = cache_dir(copied) / "similarity.json"
    entries = json.loads(cache.read_text(encoding="utf-8"))["entries"]
    assert len(entries) == 10 and set(entries.values()) == {"1.000000"}
    assert run_cli(copied, "check").stdout == first.stdout
    # a value that is not a similarity counts as missing: computed again, never trusted
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["entries"] = {key: "nan" for key in data["entries"]}
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert run_cli(copied, "check").stdout == first.stdout
    set_body(copied / Q4 / "khac.md", "Chi bộ đã viết lại toàn bộ phần này cho quý IV.\n")
    again = run_cli(copied, "check").stdout
    assert "khac.md" not in "".join(line for line in again.splitlines() if "same-as-previous" in line)


def test_acknowledged_is_true_or_false(copied):
    set_front(copied / Q4 / "khac.md", acknowledged='"có"')
    found = [p for p in problems(copied) if p["path"].endswith("khac.md") and p["field"] == "acknowledged"]
    assert found and "true hoặc false" in found[0]["message"]


def test_section_page_without_a_previous_quarter_says_so(shipped_site):
    html = article((shipped_site / "reports/2025-q3/cong-an/index.html").read_text(encoding="utf-8"))
    assert "So với quý trước: kho chưa có báo cáo quý trước" in flat(html)
    assert "<del>" not in html and "<ins>" not in html


# --- hostile text in either quarter ----------------------------------------------------------

#: Hostile text the check lets through (raw <script> or on...= attributes, and direction
#: overrides (``text-bidi``), are refused at file:line before any build; the template and
#: comparison tests below take them too).
HOSTILE = ("`<script>alert(1)</script>` `<img src=x onerror=alert(2)>` &lt;script&gt;alert(3)&lt;/script&gt; "
           "đảo chiều cô lập {{ 7*7 }} {% raw %}")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, pristine) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("hostile") / "repo"
    shutil.copytree(pristine, root)
    shutil.copytree(root / Q3, root / Q4)
    index = root / Q4 / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("period: 2025-Q3", "period: 2025-Q4")
                     .replace("status: issued", "status: draft"), encoding="utf-8")
    # markup on both sides
    for quarter, extra in ((Q3, "cũ"), (Q4, "mới")):
        path = root / quarter / "khac.md"
        set_body(path, body_of(path) + f"\n\n{HOSTILE} {extra}\n")
    # a 10,000-line body in the new quarter against a normal one
    long_lines = [f"Dòng {i} của phần dài {'x' * 8}" for i in range(9_950)]
    long_lines[0] += " " + "y" * 4000
    set_body(root / Q4 / "quan-su.md", "\n".join(long_lines) + "\n")
    site = root.parent / "site"
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr
    return root, site


def _diff_view(site: Path, slug: str) -> str:
    html = (site / f"reports/2025-q4/{slug}/index.html").read_text(encoding="utf-8")
    return html[html.index('<details class="bc-compare'):html.index("</details>", html.index("bc-compare"))]


def test_hostile_text_stays_escaped_in_the_diff_view(hostile):
    _, site = hostile
    view = _diff_view(site, "khac")
    assert "<script" not in view and "<img" not in view and "onerror" not in view
    assert "&amp;lt;script&amp;gt;alert(3)&amp;lt;/script&amp;gt;" in view
    assert " 7*7 raw " in view and "49" not in view  # no template ran; "{{", "{%" are no words
    for control in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f":
        assert control not in view
    assert "<ins>mới</ins>" in view and "<del>cũ</del>" in view
    tags = set(re.findall(r"</?([a-z0-9]+)", view))
    assert tags <= {"details", "summary", "p", "strong", "del", "ins", "a", "div", "br", "code"}, tags


def test_a_10000_line_body_gives_a_bounded_diff_view(hostile):
    root, site = hostile
    view = _diff_view(site, "quan-su")
    assert f"Chỉ so sánh {compare.MAX_WORDS:,} từ đầu".replace(",", ".") in flat(view)
    words = len(flat(view).split())
    assert words <= 2 * compare.MAX_WORDS + 200
    assert max(len(w) for w in flat(view).split()) <= compare.MAX_SHOWN
    assert len(view) < 2 * compare.MAX_WORDS * (compare.MAX_SHOWN + 20)
    assert "\u202e" not in view


@pytest.mark.browser
def test_diff_view_opens_without_script_and_runs_nothing(hostile, browser, serve):
    _, site = hostile
    base = serve(site)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/reports/2025-q4/khac/")
    view = page.locator("details.bc-compare")
    assert not view.locator(".bc-word-diff").is_visible()  # folded by default
    view.locator("summary").click()
    assert view.locator(".bc-word-diff").is_visible()
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in view.locator(".bc-word-diff").inner_text()
    context.close()
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + "/reports/2025-q4/khac/")
    page.locator("details.bc-compare summary").click()
    assert page.evaluate("document.querySelectorAll('.bc-word-diff *:not(del):not(ins):not(br)').length") == 0
    assert dialogs == []
    page.close()


# --- the comparison itself -----------------------------------------------------------------


def test_words_are_normalised_before_comparing():
    old = "Đảng ủy đã lãnh đạo, chỉ đạo: **tốt**."
    new = "<!-- hướng dẫn -->\n- đảng ủy  đã LÃNH ĐẠO chỉ đạo tốt"
    words = ["đảng", "ủy", "đã", "lãnh", "đạo", "chỉ", "đạo", "tốt"]
    assert compare.word_keys(old) == compare.word_keys(new) == [w.encode() for w in words]
    assert compare.similarity(compare.word_keys(old), compare.word_keys(new)) == 1.0
    decomposed = "Đảng u\u0309y\u202e <b>1.173</b>"  # NFD, a bidi control, a tag: normalised away
    assert compare.word_keys(decomposed) == [b.encode() for b in ("đảng", "ủy", "1173")]
    assert compare.percent(0.8999) == 89 and compare.percent(0.9) == 90


def test_diff_shows_removed_then_added_words_between_kept_runs():
    diff = compare.word_diff("Chi bộ họp ba lần trong quý.", "Chi bộ họp bốn lần trong quý này.")
    assert [(s.kind, s.text) for s in diff.segments] == [
        ("equal", "Chi bộ họp"), ("delete", "ba"), ("insert", "bốn"),
        ("equal", "lần trong quý"), ("insert", "này.")]  # "quý." and "quý" are one word
    assert (diff.removed, diff.added, diff.cut) == (1, 2, False)
    # a lone word kept between two changes is drawn inside them; a new line starts a segment
    diff = compare.word_diff("một hai ba bốn\nnăm", "một X ba Y\nnăm")
    assert [tuple(s) for s in diff.segments] == [
        ("equal", "một", False), ("delete", "hai ba bốn", False), ("insert", "X ba Y", False),
        ("equal", "năm", True)]


def test_raw_markup_in_either_text_is_drawn_as_text(tmp_path):
    # Whatever reaches the comparison (the check refuses raw <script> first), the template
    # escapes every word: no element but the view's own.
    from baocao.render.links import Links
    from baocao.render.templates import Templates
    from conftest import ROOT

    old = "<script>alert(1)</script> <b onclick=x>cũ</b> \u202eA\u202c &amp; {{ x }} " + "\n".join(["y"] * 50)
    new = "\"><svg onload=alert(2)> <i>mới</i> </details><script>alert(3)</script> {% endfor %}"
    diff = compare.word_diff(old, new)
    found = compare.Comparison(None, None)
    found.known(0.95)
    html = Templates(ROOT / "overrides", Links()).render(
        "partials/word-diff.html", here="reports/2025-q4/khac.md", compared=found, changes=diff,
        previous_uri=None, max_words=compare.MAX_WORDS, acknowledged=False)
    tags = set(re.findall(r"<(/?[a-z0-9]+)", html))
    assert tags <= {"details", "/details", "summary", "/summary", "p", "/p", "del", "/del", "ins", "/ins",
                    "div", "/div", "br", "strong", "/strong"}, tags
    assert "alert(1)" in html and "endfor" in html and "\u202e" not in html


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_diff_keeps_every_word_of_both_texts_in_order(old, new):
    diff = compare.word_diff(old, new)

    def count(*kinds):
        return sum(len(s.text.split()) for s in diff.segments if s.kind in kinds)

    assert count("equal", "delete") == len(compare.words(old).keys)
    assert count("equal", "insert") == len(compare.words(new).keys)
    assert (diff.removed, diff.added) == (count("delete"), count("insert"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"]), max_size=60),
       st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"]), max_size=60))
def test_the_quick_decision_is_the_exact_one(old, new):
    # the check decides with rapidfuzz's cutoff; the tracker shows the exact value
    if old and new:
        quick, exact = compare.similarity(old, new, compare.THRESHOLD), compare.similarity(old, new)
        assert (quick >= compare.THRESHOLD) == (exact >= compare.THRESHOLD)
        assert quick == (exact if exact >= compare.THRESHOLD else 0)


def _edited(old: list, edits: list) -> list:
    new = list(old)
    for at, word, insert in edits:
        if insert:
            new.insert(at % (len(new) + 1), word)
        elif new:
            del new[at % len(new)]
    return new


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"]), min_size=1, max_size=120),
       st.lists(st.tuples(st.integers(0, 200), st.sampled_from(["a", "b", "x", "y"]), st.booleans()), max_size=14))
def test_the_exact_bounds_decide_as_rapidfuzz_does(old, edits):
    # near copies (a few words added or removed) fall on both sides of the threshold
    new = _edited(old, edits)
    if new:
        assert compare.copy_similarity(old, new) == compare.similarity(old, new, compare.THRESHOLD)
        assert compare.copy_similarity(new, old) == compare.similarity(new, old, compare.THRESHOLD)


def _words(count: int, start: int = 0) -> list[bytes]:
    return [f"w{i}".encode() for i in range(start, start + count)]


@pytest.mark.parametrize("old, new, copied", [
    # the lengths alone: 90 words all kept among 110, 2 × 90 / 200 = 0.9 exactly: a copy ...
    (_words(90), _words(110), True),
    # ... 89 among 110: 178 / 199 < 0.9, ruled out by the lengths before any comparison
    (_words(89), _words(110), False),
    (_words(9), _words(11), True),
    (_words(9), _words(12), False),
    # words in common: 100 and 100 words, 10 changed: 2 × 90 / 200 = 0.9 exactly, a copy ...
    (_words(100), _words(90) + _words(10, 500), True),
    # ... 11 changed: 2 × 89 / 200 = 0.89, ruled out by the longest common subsequence's cutoff
    (_words(100), _words(89) + _words(11, 500), False),
    # the same words in another order have fewer in common (in order)
    (_words(100), _words(50, 50) + _words(50), False),
])
def test_a_pair_at_the_threshold_is_a_copy_and_one_word_less_is_not(old, new, copied):
    value = compare.copy_similarity(old, new)
    assert value == compare.similarity(old, new, compare.THRESHOLD)
    assert (value >= compare.THRESHOLD) is copied
    assert compare.percent(value) == (90 if copied else 0)


def test_the_bounds_in_integers_are_the_threshold():
    # _fewest_common says THRESHOLD (0.9) as 9/10, in integers
    assert compare.THRESHOLD == 9 / 10
    for total in range(1, 2 * compare.MAX_WORDS + 1):
        needed = compare._fewest_common(total)
        assert 2 * needed / total >= 0.9 and (needed == 0 or 2 * (needed - 1) / total < 0.9), total


def test_a_dissimilar_pair_is_ruled_out_without_the_similarity(monkeypatch):
    def measured(*args):
        raise AssertionError("measured")

    monkeypatch.setattr(compare, "similarity", measured)
    assert compare.copy_similarity(_words(89), _words(110)) == 0  # lengths
    assert compare.copy_similarity(_words(100), _words(89) + _words(11, 500)) == 0  # words in common
    with pytest.raises(AssertionError, match="measured"):
        compare.copy_similarity(_words(100), _words(100))


def _reference_keys(markdown: str) -> list[bytes]:
    """word_keys as first written: every pass over every text."""
    text = compare._FORMAT.sub("", compare._plain(markdown)).lower()
    return text.encode("utf-8", "surrogatepass").translate(None, string.punctuation.encode()).split()[
        :compare.MAX_WORDS]


def test_every_format_character_is_unprintable():
    # word_keys skips removing format characters from a text whose only unprintable
    # character is the line break: right only if each of them is unprintable
    assert not [c for c in range(0x110000) if compare._FORMAT.match(chr(c)) and chr(c).isprintable()]


_PIECES = ["Đảng", "ủy", "u\u0309y", " ", "\n", "\t", "\r\n", "\x0b", "\u00a0", "\u2028", "<", ">", "<!--", "-->",
           "<b>", "</b>", "1.173", "**", "\u00ad", "\u202e", "\u200b", "\ufeff", "\u2066", "\ufff9", "É", "A", "_"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_words_are_those_of_every_pass(markdown):
    assert compare.word_keys(markdown) == _reference_keys(markdown)


def _reference_figures_same(archive, previous, section) -> bool:
    now = {k: v for k, v in section.meta.figures.items() if v is not None}
    then = {k: v for k, v in previous.meta.figures.items() if v is not None}
    if not now or now != then:
        return False
    return any(archive.indicators[k].group != "to_chuc" if k in archive.indicators else True for k in now)


_FIGURES = st.dictionaries(st.sampled_from(["dang_vien_cuoi_ky", "ket_nap", "to_chuc_dang", "khac"]),
                           st.one_of(st.none(), st.integers(0, 2)))


@settings(max_examples=400, deadline=None)
@given(_FIGURES, _FIGURES)
def test_same_figures_as_first_written(now, then):
    from types import SimpleNamespace as Ns

    archive = Ns(indicators={"to_chuc_dang": Ns(group="to_chuc"), "dang_vien_cuoi_ky": Ns(group="dang_vien"),
                             "ket_nap": Ns(group="dang_vien")})
    section, previous = Ns(meta=Ns(figures=now)), Ns(meta=Ns(figures=then))
    assert compare._figures_same(archive, previous, section) == _reference_figures_same(archive, previous, section)
