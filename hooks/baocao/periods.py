"""Reporting periods: quarters written ``2025-Q3`` in data, ``2025-q3`` in folders and URLs,
and ``quý III/2025`` or ``quý III năm 2025`` for readers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
#: The years a report can be of: from the Party's founding (1930) to 2099. Outside them a
#: year is a typing mistake (``0025``, ``9025``), and some (0, 9999's next quarter) are
#: not even dates.
FIRST_YEAR, LAST_YEAR = 1930, 2099
#: Those years as a regular expression Python and JavaScript read alike (ASCII digits only,
#: no group): the one rule for a period in a folder name, in front matter and in commands.
YEAR = r"(?:19[3-9][0-9]|20[0-9][0-9])"
#: A period as written in data (``2025-Q3``) and in commands, anchored.
KEY = rf"^{YEAR}-Q[1-4]$"
_PATTERN = re.compile(rf"^({YEAR})-[qQ]([1-4])$")
#: A quarter as readers write it: ``quý II/2025``, ``quý II năm 2025``.
_NAMED = re.compile(rf"quý\s+(IV|III|II|I)\s*(?:năm\s*|/\s*)({YEAR})", re.IGNORECASE)
#: What looks like a period but for its year (:meth:`Period.refusal`).
_WRITTEN = re.compile(r"^([0-9]{4})-[qQ][1-4]$")
#: What a user meant as a period, mistyped or not (``2025-Q5``, ``2025Q3``, ``2025-q``).
_MEANT = re.compile(r"^[0-9]{4}\s*-?\s*[qQ]\s*([0-9]*)$")
_QUARTERS = {roman: quarter for quarter, roman in _ROMAN.items()}
#: The name of a report's folder under ``docs/reports/``: its period's (``2025-q3``), or a
#: replacement report's, the period's with a suffix (``2025-q3-2`` ... ``2025-q3-9``). The one
#: rule for every reader of folder names (the loader, ``baocao publish``'s site check, the
#: web form's patterns): a regular expression Python and JavaScript read alike, ASCII digits
#: only, without anchors; group 1 is the period.
FOLDER = rf"({YEAR}-q[1-4])(?:-[2-9])?"


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> Period | None:
        """``2025-Q3`` or ``2025-q3`` to a Period; None when it is not one (also a year
        outside :data:`FIRST_YEAR` .. :data:`LAST_YEAR`: :meth:`refusal` says why)."""
        match = _PATTERN.match(str(text).strip())
        if not match:
            return None
        return cls(int(match.group(1)), int(match.group(2)))

    @staticmethod
    def refusal(text: str, example: str = "2025-Q3") -> str:
        """Why ``text`` is not a period, in Vietnamese, saying what to write instead."""
        written = _WRITTEN.match(str(text).strip())
        if written and not FIRST_YEAR <= int(written.group(1)) <= LAST_YEAR:
            return (f"Kỳ `{text}` có năm {written.group(1)} ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}; "
                    f"hãy kiểm tra lại năm, ví dụ `{example}`.")
        meant = _MEANT.match(str(text).strip())
        if meant and meant.group(1) and not 1 <= int(meant.group(1)) <= 4:
            return f"Kỳ `{text}` có quý {int(meant.group(1))}; một năm chỉ có quý 1 đến 4, ví dụ `{example}`."
        return f"Kỳ `{text}` sai dạng; hãy viết NĂM-Q<quý>, ví dụ `{example}`."

    @staticmethod
    def meant(text: str) -> bool:
        """True when ``text`` looks like a period a user meant to write, even mistyped
        (``2025-Q5``): a command taking a file or a period refuses it as a period."""
        return bool(_MEANT.match(str(text).strip()))

    @classmethod
    def named_in(cls, text: str) -> Period | None:
        """The first quarter ``text`` names as readers write it (``… quý II năm 2025``,
        ``quý II/2025``, the forms of :attr:`label` and :attr:`long_label`); None when it
        names none."""
        match = _NAMED.search(text)
        if not match:
            return None
        return cls(int(match.group(2)), _QUARTERS[match.group(1).upper()])

    @property
    def key(self) -> str:
        """As written in front matter: ``2025-Q3``."""
        return f"{self.year}-Q{self.quarter}"

    @property
    def slug(self) -> str:
        """As written in folder names and URLs: ``2025-q3``."""
        return f"{self.year}-q{self.quarter}"

    @property
    def roman(self) -> str:
        return _ROMAN[self.quarter]

    @property
    def label(self) -> str:
        """``quý III/2025``."""
        return f"quý {self.roman}/{self.year}"

    @property
    def long_label(self) -> str:
        """``quý III năm 2025``."""
        return f"quý {self.roman} năm {self.year}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    def next(self) -> Period:
        return Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)

    def previous(self) -> Period:
        return Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)

    def __str__(self) -> str:
        return self.key
