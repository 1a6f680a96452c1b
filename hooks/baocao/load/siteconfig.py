"""The maintainer's settings of a build, declared once: :class:`Settings`.

Read from ``mkdocs.yml``'s ``extra:`` (the build hands over what MkDocs read; the ``baocao``
command reads the file itself), with environment variables as overrides only:

| setting | in ``mkdocs.yml`` | environment | meaning |
| --- | --- | --- | --- |
| ``allowed`` | ``extra.baocao_allowed`` | | more files ``docs/`` may hold (shell patterns, ``*`` crosses folders) |
| ``cms`` | ``extra.cms`` | | the web form's Forgejo server (:mod:`baocao.contribute.cms`) |
| ``pdf`` | ``extra.baocao.pdf`` | ``BAOCAO_PDF`` | print each report page to PDF beside it |
| ``docx`` | ``extra.baocao.docx`` | ``BAOCAO_DOCX`` | write each report's Word file beside it |
| ``xlsx`` | ``extra.baocao.xlsx`` | ``BAOCAO_XLSX`` | write each report's statistical forms (``.xlsx``) beside it |
| ``git_dates`` | (the plugin's ``enabled: !ENV``) | ``BAOCAO_GIT_DATES`` | each page's date from Git |
| ``cms_local`` | | ``BAOCAO_CMS_LOCAL`` | ``baocao edit``: the form saves through this local server |

A switch set in the environment wins (``1`` or any word but ``0``/``false``/``no``/``off``
turns it on; empty counts as unset). ``allowed`` and ``cms`` keep the places they always
had; what ``extra.baocao`` holds is checked (an unknown key or a value of the wrong kind
fails the build with a Vietnamese message), as MkDocs checks a plugin's configuration.

``mkdocs.yml`` is trusted (it is not a contributor's file), but the command reads it as
data only: a SafeLoader on which MkDocs' own tags (``!ENV``, ``!!python/name:...``) read
as nothing, so no object is ever constructed from it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from baocao.problems import Problem

#: Words that turn a switch off when an environment variable says them.
_OFF = ("0", "false", "no", "off")


class SettingsError(ValueError):
    """A setting ``mkdocs.yml`` or the environment gives that baocao cannot take (Vietnamese)."""


class _Declared(BaseModel):
    """``extra.baocao`` as ``mkdocs.yml`` may write it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    pdf: bool = False
    docx: bool = False
    xlsx: bool = False


class Settings(BaseModel):
    """Every setting of a build (see the module's table)."""

    model_config = ConfigDict(frozen=True)

    allowed: tuple[str, ...] = Field(default=(), description="extra.baocao_allowed")
    cms: dict[str, Any] = Field(default_factory=dict, description="extra.cms")
    pdf: bool = Field(default=False, description="extra.baocao.pdf, BAOCAO_PDF")
    docx: bool = Field(default=False, description="extra.baocao.docx, BAOCAO_DOCX")
    xlsx: bool = Field(default=False, description="extra.baocao.xlsx, BAOCAO_XLSX")
    git_dates: bool = Field(default=True, description="BAOCAO_GIT_DATES")
    cms_local: str | None = Field(default=None, description="BAOCAO_CMS_LOCAL")

    @field_validator("allowed", mode="before")
    @classmethod
    def _patterns(cls, value: object) -> tuple[str, ...]:
        # As always read: a list of strings; anything else adds nothing.
        if not isinstance(value, list):
            return ()
        return tuple(p.strip("/") for p in value if isinstance(p, str) and p.strip("/"))

    @field_validator("cms", mode="before")
    @classmethod
    def _mapping(cls, value: object) -> dict:
        return dict(value) if isinstance(value, Mapping) else {}


def _switch(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name, "").strip()
    return default if not value else value.lower() not in _OFF


def _declared(extra: Mapping) -> tuple[_Declared | None, list[tuple]]:
    """``extra.baocao`` read, or None and its errors (pydantic's ``loc``, Vietnamese)."""
    given = extra.get("baocao") if extra.get("baocao") is not None else {}
    try:
        return _Declared.model_validate(given), []
    except ValidationError as exc:
        return None, [(e["loc"], f"`{'.'.join(str(p) for p in e['loc']) or 'baocao'}`: "
                       + ("không có cài đặt này (chỉ có `pdf`, `docx`, `xlsx`)" if e["type"] == "extra_forbidden"
                          else "phải là `true` hoặc `false`" if e["type"].startswith("bool")
                          else "phải là các dòng `tên: giá trị`")) for e in exc.errors()]


def _refusal(errors: list[tuple]) -> str:
    return f"Cài đặt extra.baocao trong mkdocs.yml chưa đúng: {'; '.join(text for _, text in errors)}."


def read(extra: Mapping | None, environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from ``extra`` (``mkdocs.yml``'s ``extra:``) and ``environ``."""
    extra = extra if isinstance(extra, Mapping) else {}
    environ = os.environ if environ is None else environ
    declared, errors = _declared(extra)
    if declared is None:
        raise SettingsError(_refusal(errors))
    return Settings(allowed=extra.get("baocao_allowed"), cms=extra.get("cms"),
                    pdf=_switch(environ, "BAOCAO_PDF", declared.pdf),
                    docx=_switch(environ, "BAOCAO_DOCX", declared.docx),
                    xlsx=_switch(environ, "BAOCAO_XLSX", declared.xlsx),
                    git_dates=_switch(environ, "BAOCAO_GIT_DATES", True),
                    cms_local=environ.get("BAOCAO_CMS_LOCAL") or None)


class _DataLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when PyYAML has it
    """Plain YAML data; any tag beyond the safe ones reads as nothing."""


_DataLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def settings(config_file: Path) -> dict:
    """The whole mapping of ``config_file`` (empty when absent or unreadable)."""
    try:
        with open(config_file, encoding="utf-8") as handle:
            # A SafeLoader subclass whose only additions make unknown tags None.
            config = yaml.load(handle, Loader=_DataLoader)  # noqa: S506
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return config if isinstance(config, dict) else {}


def extra(config_file: Path) -> dict:
    """The ``extra:`` mapping of ``config_file`` (empty when absent or unreadable)."""
    found = settings(config_file).get("extra")
    return found if isinstance(found, dict) else {}


def from_file(config_file: Path) -> Settings:
    """The settings of the ``mkdocs.yml`` at ``config_file``, for the ``baocao`` command:
    a wrong ``extra.baocao`` (which only the build uses) leaves the other settings."""
    found = extra(config_file)
    try:
        return read(found)
    except SettingsError:
        return Settings(allowed=found.get("baocao_allowed"), cms=found.get("cms"))


def problems(config_file: Path) -> list[Problem]:
    """What the build would refuse in ``config_file``'s settings, at ``mkdocs.yml:line`` with
    the build's own message, so that ``baocao check`` says it first (an unknown key of
    ``extra.baocao``, a switch that is not ``true``/``false``); and a ``baocao_allowed`` or
    ``cms`` of the wrong kind, which the build would ignore in silence. Read as data only
    (the lines from the composed nodes: no tag is resolved)."""
    found = extra(config_file)
    name = config_file.name
    said = []
    declared, errors = _declared(found)
    if declared is None:
        loc = errors[0][0] if errors else ()
        said.append(Problem(name, _line(config_file, ("extra", "baocao", *loc[:1])), "extra.baocao",
                            _refusal(errors), "settings"))
    allowed = found.get("baocao_allowed")
    if allowed is not None and not (isinstance(allowed, list) and all(isinstance(p, str) for p in allowed)):
        said.append(Problem(name, _line(config_file, ("extra", "baocao_allowed")), "extra.baocao_allowed",
                            "Cài đặt extra.baocao_allowed trong mkdocs.yml phải là danh sách các mẫu tên tệp, "
                            "mỗi dòng một mục `- \"mau/*.pdf\"`.", "settings"))
    cms = found.get("cms")
    if cms is not None and not isinstance(cms, Mapping):
        said.append(Problem(name, _line(config_file, ("extra", "cms")), "extra.cms",
                            "Cài đặt extra.cms trong mkdocs.yml phải là các dòng `tên: giá trị` "
                            "(`name: forgejo`, `repo: ...`).", "settings"))
    return said


def _line(config_file: Path, keys: tuple) -> int:
    """The 1-based line of the deepest of ``keys`` found in ``config_file`` (1 if none)."""
    try:
        with open(config_file, encoding="utf-8") as handle:
            node = yaml.compose(handle, Loader=_DataLoader)  # noqa: S506 (nodes only, nothing built)
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return 1
    line = 1
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        pair = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(key)), None)
        if pair is None:
            break
        line, node = pair[0].start_mark.line + 1, pair[1]
    return line
