"""The maintainer's settings in ``mkdocs.yml`` (``extra:``, ``dev_addr``), read without MkDocs.

``mkdocs.yml`` is trusted (it is not a contributor's file), but it is still read as data
only: a SafeLoader on which MkDocs' own tags (``!ENV``, ``!!python/name:...``) read as
nothing, so no object is ever constructed from it.
"""

from __future__ import annotations

from pathlib import Path

import yaml


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
