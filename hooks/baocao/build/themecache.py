"""Under ``baocao serve``: what the theme gives every build, kept between rebuilds.

At each build the engine makes a new Jinja environment for the theme and lists every file
of the theme's folders (Material's are some 14,000, icons included, each matched against a
dozen patterns: about half a second), then compiles each template again on first use
(another quarter of a second). A preview server keeps both between its rebuilds:

- the list, by theme folders, static templates and a digest of the names, sizes and times
  of the files of the project's own theme folder (``overrides/``, where a maintainer may
  add a file while serving; the theme package's own folder does not change under it);
- the templates' compiled code, in memory (Jinja's bytecode cache: each template's code
  is taken only while its source is the same, checked by Jinja against a digest of it).

Nothing is written to disk, and the templates are the theme's and the project's own files
(trusted), never contributors'.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2

from baocao.build import incremental
from baocao.render.templates import FOLDER


class _InMemory(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.kept.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


class ThemeCache:
    def __init__(self) -> None:
        self.bytecode = _InMemory()
        self.listed: dict[tuple, list[str]] = {}

    def wrap(self, get_env: Callable[[], jinja2.Environment], dirs: list[str], static_templates
             ) -> Callable[[], jinja2.Environment]:
        """``get_env`` (the engine's theme's) making environments that share what is kept."""
        own = tuple(incremental.folder_stamps(Path(d)) for d in dirs if (Path(d) / FOLDER).is_dir())
        key = (tuple(dirs), tuple(static_templates or ()), own)

        def kept_env() -> jinja2.Environment:
            env = get_env()
            env.bytecode_cache = self.bytecode
            plain = env.list_templates

            def list_templates(extensions=None, filter_func=None) -> list[str]:
                asked = (key, tuple(extensions or ()), getattr(filter_func, "__qualname__", filter_func))
                if asked not in self.listed:
                    self.listed[asked] = plain(extensions, filter_func)
                return list(self.listed[asked])

            env.list_templates = list_templates
            return env

        return kept_env
