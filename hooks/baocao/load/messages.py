"""Vietnamese messages for validation errors, each saying what to write instead.

Turns one pydantic error (type, location, input) into a message and a stable code, and
suggests the nearest valid name for a misspelt key or id.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from baocao.periods import Period
from baocao.textfold import fold

#: What each allowed word means, said after it in messages.
MEANINGS = {"draft": "dự thảo, đang soạn", "submitted": "đã gửi", "approved": "đã duyệt",
            "issued": "đã ban hành", "true": "có", "false": "không"}
_QUOTED = re.compile(r"'([^']*)'")
_GROUPED = re.compile(r"^[-+]?\d{1,3}(?:([.,])\d{3})+$")
_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``word``, if any is close enough."""
    matches = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    guess = nearest(word, choices)
    return f" Có phải ý bạn là `{guess}`?" if guess else ""


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(text).lower()))


def _name(item: Any) -> str:
    for attribute in ("name", "label", "title"):
        value = getattr(item, attribute, None)
        if isinstance(value, str):
            return value
    return ""


def nearest_ids(word: str, registry: Mapping[str, Any], most: int = 3) -> list[str]:
    """The ids of ``registry`` closest to ``word``: spelt alike, or sharing its words with
    the id or the item's name (``cong_an_xa`` → ``dang_bo_cong_an``, "Đảng bộ Công an xã")."""
    words = _tokens(word)
    scored = []
    for key, item in registry.items():
        ratio = difflib.SequenceMatcher(None, word, key).ratio()
        shared = len(words & (_tokens(key) | _tokens(_name(item)))) / len(words) if words else 0.0
        score = max(ratio, shared)
        if score >= 0.6:
            scored.append((-score, key))
    return [key for _, key in sorted(scored)[:most]]


def suggest_ids(word: str, registry: Mapping[str, Any]) -> str:
    """" Có phải ý bạn là `dang_bo_cong_an` (Đảng bộ Công an xã)?", or the ids there are."""
    def said(key: str) -> str:
        name = " ".join(_name(registry[key]).split())
        name = name if len(name) <= 60 else name[:59] + "…"
        return f"`{key}` ({name})" if name and name != key else f"`{key}`"

    guesses = nearest_ids(word, registry)
    if guesses:
        return " Có phải ý bạn là " + " hoặc ".join(said(k) for k in guesses) + "?"
    if registry and len(registry) <= 12:
        return " Các mã có: " + ", ".join(said(k) for k in registry) + "."
    return ""


def date_hint(value: Any) -> str:
    """For a date written ``25/8/2025``, the ISO form to write instead."""
    match = _DMY.match(str(value))
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            iso = dt.date(year, month, day).isoformat()
        except ValueError:
            return " Ngày này không có thật."
        return f" Hãy viết `{iso}` thay cho `{value}`."
    return ""


def _model_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names allowed at ``loc`` inside ``model`` (for typo suggestions)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    return list(getattr(current, "model_fields", {}) or [])


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def one_of(words: list[str]) -> str:
    """``draft`` (dự thảo), ``submitted`` (đã gửi) hoặc ``approved`` (đã duyệt)."""
    said = [f"`{w}` ({MEANINGS[w]})" if w in MEANINGS else f"`{w}`" for w in words]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " hoặc " + said[-1]


def _integer_message(text: str) -> str:
    text = text.strip()
    grouped = _GROUPED.match(text)
    if grouped:
        mark = "dấu chấm" if grouped.group(1) == "." else "dấu phẩy"
        return (f"`{text}` phải viết liền, không có {mark} ngăn cách hàng nghìn; hãy viết "
                f"`{re.sub(r'[.,]', '', text)}`.")
    return (f"`{text}` không phải số nguyên; hãy viết chữ số, ví dụ `12`, "
            "hoặc để trống nếu chưa có số liệu.")


def translate(error: dict, model: type[BaseModel], written: str | None = None) -> tuple[str, str]:
    """(code, Vietnamese message) for one pydantic error dict; ``written`` is the value as
    the clerk wrote it, when that differs from the value read (``1.000``, ``no``)."""
    kind = error["type"]
    loc = tuple(error["loc"])
    value = error.get("input")
    if written is not None and not isinstance(value, (dict, list)):
        value = written
    name = str(loc[-1]) if loc else ""
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "required", f"Thiếu trường bắt buộc `{name}`; hãy thêm dòng `{name}: ...`."
    if kind == "extra_forbidden":
        return "unknown-key", (f"Trường `{name}` không có trong mẫu."
                               + did_you_mean(name, _model_fields(model, loc))
                               + " Nếu không cần, hãy xóa dòng này.")
    if kind in ("literal_error", "enum"):
        words = _QUOTED.findall(str(ctx.get("expected", "")))
        return "enum", f"Giá trị `{value}` không hợp lệ; hãy viết {one_of(words)}."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "integer", _integer_message(str(value))
    if kind in ("greater_than_equal", "greater_than"):
        return "negative", f"Số `{value}` không được âm; hãy viết số từ 0 trở lên."
    if kind in ("less_than_equal", "less_than"):
        return "too-large", f"Số `{value}` quá lớn; hãy kiểm tra lại."
    if kind.startswith("date") or kind.startswith("datetime"):
        return "date", (f"`{value}` không phải ngày hợp lệ; viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2025-08-25."
                        + date_hint(value))
    if kind == "string_pattern_mismatch":
        return "pattern", _pattern_message(name, loc, value)
    if kind in ("string_type",):
        return "string", (f"`{value}` phải là chữ; nếu là số hoặc có dấu `:` hãy đặt trong ngoặc kép, "
                          f'ví dụ "{value}".')
    if kind == "string_too_short":
        return "empty", f"Trường `{name}` không được để trống."
    if kind == "string_too_long":
        return "too-long", f"Trường `{name}` quá dài."
    if kind == "list_type":
        return "list", f"`{name}` phải là danh sách, mỗi mục một dòng bắt đầu bằng `- `."
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "mapping", f"`{name}` phải là nhóm trường, mỗi dòng `tên: giá trị`, thụt vào hai dấu cách."
    if kind in ("bool_type", "bool_parsing"):
        return "boolean", f"`{value}` phải là true hoặc false."
    return "invalid", f"Giá trị `{value}` không hợp lệ."


def _pattern_message(name: str, loc: tuple, value: Any) -> str:
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        return (f"`{name}` phải viết trên một dòng; hãy viết cả giá trị liền trên dòng này, không xuống dòng "
                "(không dùng `|`, `>` hay `\\n`).")
    if "reviewers" in loc:
        return (f"`{value!r}` không phải một tài khoản duyệt; mỗi mục là một tài khoản dạng `@ten` "
                "hoặc `@to-chuc/nhom`, không có dấu cách.")
    if name == "period":
        return Period.refusal(value)
    if name == "number":
        return f"Số ký hiệu `{value}` sai dạng; hãy viết như `45-BC/ĐU`, hoặc để trống khi chưa vào số."
    if name == "sheet":
        return (f"Tên trang tính `{value}` không dùng được trong Excel; hãy viết tối đa 31 ký tự, không bắt đầu "
                "bằng dấu cách, không có các dấu [ ] : * ? / \\ ', ví dụ `Biểu 1 - Tăng giảm ĐV`.")
    return (f"`{value}` sai dạng mã; mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, "
            "ví dụ `cong_an`.")
