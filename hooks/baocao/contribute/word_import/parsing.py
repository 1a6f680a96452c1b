"""Every line of the document put in its place: the header's number, place and date, the
subject under BÁO CÁO, the opening, each slot's section (matched by :mod:`.outline`), the
Nơi nhận and the signer. Nothing is dropped: text that has no slot (an unknown heading,
text under a heading that takes no section, anything after the signature) is kept as
unplaced.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass

from baocao.contribute.word_import.lines import LIST, Line, escape
from baocao.contribute.word_import.outline import heading_of, match_slot
from baocao.export.docx import MISSING
from baocao.model import Archive, Slot, slot_title
from baocao.periods import Period
from baocao.textfold import fold

_SO = re.compile(r"^\s*Số\s*:?\s*(?P<n>\d*)\s*-\s*(?P<kind>[A-ZĐ]+)\s*/\s*(?P<issuer>\S+)")
_DATE = re.compile(r"^\s*(?P<place>[^,]*?)\s*,\s*ngày\s*(?P<d>\d{0,2})\s*tháng\s*(?P<m>\d{0,2})\s*năm\s*(?P<y>\d{4})")
_AUTHORITY = re.compile(r"^\s*(?P<auth>T/M|K/T|T/L|TM\.?|KT\.?|TL\.?)\s+(?P<body>.+)$")


@dataclass
class Parsed:
    header: dict
    subject: str | None
    opening: list[str]
    sections: dict[tuple, list[str]]
    titles: dict[tuple, str]
    unplaced: list[str]
    recipients: list[str]
    signer: dict | None
    draft_mark: bool = False


def parse(lines: list[Line], archive: Archive, period: Period) -> Parsed:
    slots = archive.slots(period)
    header: dict = {}
    subject = None
    draft_mark = False
    opening: list[str] = []
    sections: dict[tuple, list[str]] = {}
    titles: dict[tuple, str] = {}
    unplaced: list[str] = []
    end: list[Line] = []
    parents: dict[int, Slot] = {}
    used: set[int] = set()
    current: list[str] = opening
    current_slot: Slot | None = None
    seen_title = False
    seen_heading = False
    waiting: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        folded = fold(line.text).strip()
        if line.zone == "end" or folded.startswith("noi nhan"):
            end.extend(lines[index - 1:])
            break
        if line.zone == "header" or (not seen_heading and _header_line(line, header)):
            if line.zone == "header":
                _header_line(line, header)
            continue
        if line.text == MISSING:  # what the export prints under a part with no section
            continue
        if not seen_heading and folded in ("du thao", "du thao lan"):
            draft_mark = True
            continue
        if not seen_title and not seen_heading and folded == "bao cao":
            seen_title = True
            if index < len(lines) and lines[index].zone == "body" and not heading_of(lines[index]):
                subject = lines[index].text
                index += 1
            continue
        heading = heading_of(line)
        slot = match_slot(heading, slots, period, parents, used) if heading is not None else None
        if heading is not None and (slot is not None or heading.number):
            if slot is not None:
                seen_heading = True
                used.add(slots.index(slot))
                parents[slot.level] = slot
                for level in list(parents):
                    if level > slot.level:
                        del parents[level]
                current_slot = slot
                if slot.is_leaf:
                    current = sections.setdefault(slot.key, [])
                    if heading.title != slot_title(slot, period):
                        titles[slot.key] = heading.title
                else:
                    current = unplaced
                    waiting = f"**{escape(line.text)}**"
                continue
            if current_slot is not None and heading.depth > current_slot.level and current_slot.is_leaf:
                current.append(line.markdown if not line.bold else f"**{escape(line.text)}**")
                continue
            if seen_heading or current is not opening:
                unplaced.append(f"**{escape(line.text)}**")
                current = unplaced
                current_slot = None
                waiting = None
                continue
        if current is unplaced and waiting:
            unplaced.append(waiting)  # the heading the unplaced text stood under
            waiting = None
        current.append(line.markdown if not (line.bold and not line.listed and not line.table)
                       else f"**{escape(line.text)}**")
    recipients, signer, rest = _end_block(end)
    unplaced.extend(rest)
    return Parsed(header, subject, opening, sections, titles, unplaced, recipients, signer, draft_mark)


def _header_line(line: Line, header: dict) -> bool:
    """Record a header field of ``line``; whether it was one."""
    text = line.text.strip()
    folded = fold(text)
    so = _SO.match(text)
    if so:
        if so.group("n"):
            header["number"] = f"{so.group('n')}-{so.group('kind')}/{so.group('issuer')}"
        return True
    date = _DATE.match(text)
    if date:
        header["place"] = date.group("place")
        if date.group("d") and date.group("m"):
            with contextlib.suppress(ValueError):
                header["issued_on"] = dt.date(int(date.group("y")), int(date.group("m")), int(date.group("d")))
        header["year"] = int(date.group("y"))
        return True
    if folded in ("dang cong san viet nam", "*", "") or line.zone == "header":
        return True
    if folded.startswith(("dang bo ", "dang uy ", "ban chap hanh ", "chi bo ", "ban thuong vu ")) and text.isupper():
        header.setdefault("bodies", []).append(text)
        return True
    return False


def _end_block(lines: list[Line]) -> tuple[list[str], dict | None, list[str]]:
    """Nơi nhận, the signer, and any text after them (kept as unplaced)."""
    recipients: list[str] = []
    signature: list[str] = []
    rest: list[str] = []
    in_recipients = False
    for line in lines:
        folded = fold(line.text).strip()
        if line.zone == "end" and not line.text:
            in_recipients = False  # a cell boundary
            continue
        if folded.startswith("noi nhan"):
            in_recipients = True
            after = line.text.split(":", 1)[1].strip() if ":" in line.text else ""
            if after:
                recipients.append(LIST.sub("", after))
            continue
        if in_recipients and (line.listed or line.zone == "end"):
            recipients.append(line.text.strip())
            continue
        if line.zone == "end" or (not rest and (signature or _AUTHORITY.match(line.text))):
            signature.append(line.text.strip())
            in_recipients = False
            continue
        rest.append(line.markdown)
    signer = None
    if signature:
        authority = _AUTHORITY.match(signature[0])
        if authority and len(signature) >= 3:
            code = authority.group("auth").rstrip(".")
            code = {"TM": "T/M", "KT": "K/T", "TL": "T/L"}.get(code, code)
            signer = {"authority": code, "body": authority.group("body").strip(),
                      "position": signature[1], "name": signature[-1]}
        else:
            rest = signature + rest
    return recipients, signer, rest
