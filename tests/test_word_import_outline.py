"""Which slot of the outline a heading of a Word report stands for (issue 26.3):
``match_slot`` tested directly on the shipped outline, each rule of its scoring with a
heading it decides, so that a change of the scoring fails here."""

from __future__ import annotations

import pytest

from baocao.check import run_check
from baocao.contribute.word_import.lines import Line
from baocao.contribute.word_import.outline import Heading, heading_of, match_slot
from baocao.periods import Period
from conftest import ROOT

PERIOD = Period(2025, 3)


@pytest.fixture(scope="module")
def outline():
    """The shipped outline of 2025-Q3 by full number (``A.2.4.``, ``II.1.`` ...)."""
    archive = run_check(ROOT).archive
    slots = archive.slots(PERIOD)
    return slots, {slot.full_number: slot for slot in slots}


def match(outline, heading: Heading, *parents: str, used: tuple[str, ...] = ()):
    """The full number of the slot ``heading`` stands for, after the headings of ``parents``
    (full numbers, e.g. ``A.``, ``A.2.``) and with the slots ``used`` already taken; None
    for none."""
    slots, by_number = outline
    path = {by_number[n].level: by_number[n] for n in parents}
    taken = {slots.index(by_number[n]) for n in used}
    slot = match_slot(heading, slots, PERIOD, path, taken)
    return slot.full_number if slot is not None else None


def test_a_heading_with_its_number_and_title_takes_its_slot(outline):
    assert match(outline, Heading("2.4.", "Tổ chức cơ sở đảng trong Công an", 3), "A.", "A.2.") == "A.2.4."
    assert match(outline, Heading("1.", "Ưu điểm", 2), "II.") == "II.1."
    assert match(outline, Heading("2.", "Đề xuất, kiến nghị", 2), "III.") == "III.2."


def test_the_number_decides_between_titles_that_fit_two_slots_alike(outline):
    # "quân đội, công an" shares as many words with 2.3 (quân đội) as with 2.4 (Công an):
    # the same number under the same part wins, whichever comes first in the outline.
    title = "Tổ chức cơ sở đảng trong quân đội, công an"
    assert match(outline, Heading("2.4.", title, 3), "A.", "A.2.") == "A.2.4."
    assert match(outline, Heading("2.3.", title, 3), "A.", "A.2.") == "A.2.3."
    # with no number to tell them apart, the first of the outline takes it
    assert match(outline, Heading("", title, 0), "A.", "A.2.") == "A.2.3."


def test_the_number_outweighs_a_closer_title_only_by_a_little(outline):
    # "trong quân đội" is 2.3's whole title and three quarters of 2.4's words: numbered 2.4.
    # it stays 2.4; numbered 2.2. (Cơ quan, far fewer words in common), 2.3's title wins.
    title = "Tổ chức cơ sở đảng trong quân đội"
    assert match(outline, Heading("2.4.", title, 3), "A.", "A.2.") == "A.2.4."
    assert match(outline, Heading("2.2.", title, 3), "A.", "A.2.") == "A.2.3."


def test_a_number_counts_only_under_the_current_part(outline):
    # "2." is Kết quả nổi bật under A., Hạn chế ... under II., Đề xuất under III.
    heading = Heading("2.", "Kết quả, hạn chế", 2)
    assert match(outline, heading, "II.") == "II.2."
    assert match(outline, heading, "A.") == "A.2."


def test_the_same_number_needs_a_word_in_common(outline):
    assert match(outline, Heading("2.", "Khó khăn", 2), "II.") == "II.2."
    assert match(outline, Heading("2.", "Công tác kiểm tra, giám sát", 2), "II.") is None
    # at another depth than its slot, the number needs more of the title
    assert match(outline, Heading("2.", "Khó khăn", 3), "II.") is None
    assert match(outline, Heading("2.", "Hạn chế và nguyên nhân", 3), "II.") == "II.2."


def test_a_close_title_is_found_wherever_it_is_numbered(outline):
    # a wrong number (3. instead of 2.), or Word's own numbering (no number in the text)
    assert match(outline, Heading("3.", "Hạn chế, khó khăn, vướng mắc và nguyên nhân", 2), "II.") == "II.2."
    assert match(outline, Heading("", "Hạn chế, khó khăn, vướng mắc và nguyên nhân", 0), "A.") == "II.2."
    assert match(outline, Heading("", "Ưu điểm", 0)) == "II.1."
    assert match(outline, Heading("", "Hạn chế, khó khăn và nguyên nhân", 0)) == "II.2."  # 7 words of 9
    # not when the title is only partly the same, nor a numbered heading at another depth
    assert match(outline, Heading("", "Hạn chế và nguyên nhân", 0)) is None  # 5 words of 9
    assert match(outline, Heading("", "Ưu điểm và hạn chế", 0)) is None
    assert match(outline, Heading("3.1.", "Ưu điểm", 3), "II.") is None


def test_a_category_is_found_by_its_short_name(outline):
    assert match(outline, Heading("", "Chi bộ nông thôn", 0), "A.") == "A.2.1."
    assert match(outline, Heading("2.1.", "Chi bộ nông thôn", 3), "A.", "A.2.") == "A.2.1."


def test_a_slot_already_taken_is_not_taken_again(outline):
    assert match(outline, Heading("1.", "Ưu điểm", 2), "II.", used=("II.1.",)) is None
    assert match(outline, Heading("", "Chi bộ nông thôn", 0), "A.", used=("A.2.1.",)) is None


def test_headings_are_told_by_number_and_look():
    def line(text: str, **kwargs) -> Line:
        return Line(text, text, **kwargs)

    assert heading_of(line("2.4. Tổ chức cơ sở đảng trong Công an", bold=True)) == \
        Heading("2.4.", "Tổ chức cơ sở đảng trong Công an", 3)
    assert heading_of(line("II - ĐÁNH GIÁ CHUNG")) == Heading("II.", "ĐÁNH GIÁ CHUNG", 1)  # capitals
    assert heading_of(line("1. Ưu điểm", heading_style=True)) == Heading("1.", "Ưu điểm", 2)
    assert heading_of(line("Ưu điểm", numbered=True, bold=True)) == Heading("", "Ưu điểm", 0)  # Word's numbering
    assert heading_of(line("1. Đã kết nạp 5 đảng viên mới.")) is None  # a plain numbered sentence
    assert heading_of(line("- Kết quả đạt được:", bold=True, listed=True)) is None
