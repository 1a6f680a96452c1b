"""Layers that hold (issue 26.5): every import of the package goes to a module of its own
layer or of a layer below, as the README's "Layers" table orders them, imports inside
functions included; every module has its layer; no module takes another's private name."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "hooks" / "baocao"


def layer_table(readme: str) -> dict[str, int]:
    """Module or package (dotted, below ``baocao``) -> its layer, from the README's table."""
    table = readme[readme.index("| layer | modules | holds |"):]
    table = table.split("\n\n", 1)[0]
    found: dict[str, int] = {}
    for number, cell in re.findall(r"^\| (\d+) \| ([^|]+) \|", table, flags=re.M):
        for name in re.findall(r"`([a-z_/]+)`", cell):
            found[name.replace("/", ".")] = int(number)
    return found


def package_modules() -> dict[str, Path]:
    """Every module of the package by its dotted name below ``baocao`` (``seal.manifest``; a
    package by its own name, the package ``baocao`` itself as ``""``)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def layer_of(module: str, table: dict[str, int]) -> int | None:
    """The layer of ``module``: that of the longest name of the table it is or lies in; the
    package ``baocao`` itself (which defines nothing) is at the bottom."""
    if not module:
        return 1
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in table:
            return table[".".join(parts[:end])]
    return None


def imports(module: str, source: str, is_package: bool, known: set[str]) -> Iterator[tuple[int, str, str | None]]:
    """(line, module imported, name taken from it or None) for every import of the package
    in ``source``, the text of ``module``, wherever it stands (in a function too)."""
    here = module.split(".") if module else []
    package = here if is_package else here[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "baocao" or alias.name.startswith("baocao."):
                    yield node.lineno, alias.name.removeprefix("baocao").lstrip("."), None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                stem = package[:len(package) - node.level + 1]
                base = ".".join(stem + ([node.module] if node.module else []))
            elif node.module == "baocao" or (node.module or "").startswith("baocao."):
                base = node.module.removeprefix("baocao").lstrip(".")
            else:
                continue
            for alias in node.names:
                whole = f"{base}.{alias.name}".lstrip(".")
                if whole in known:  # a module taken from its package
                    yield node.lineno, whole, None
                else:
                    yield node.lineno, base, alias.name


def faults(module: str, source: str, is_package: bool, table: dict[str, int], known: set[str]) -> list[str]:
    """What is wrong with the imports of ``module``: an import of a higher layer, of a
    module in no layer, of another module's private name."""
    found = []
    layer = layer_of(module, table)
    if layer is None:
        return [f"{module}: in no layer of the README's table"]
    for line, target, name in imports(module, source, is_package, known):
        above = layer_of(target, table)
        if above is None or above > layer:
            found.append(f"{module}:{line}: imports {target or 'baocao'} (layer {above}) from layer {layer}")
        if name is not None and name.startswith("_") and target != module:
            found.append(f"{module}:{line}: takes the private name {name} of {target}")
    return list(dict.fromkeys(found))  # once each, however many names an import takes


def test_every_import_stays_in_its_layer_or_goes_down():
    table = layer_table((ROOT / "README.md").read_text(encoding="utf-8"))
    modules = package_modules()
    problems = []
    for module, path in sorted(modules.items()):
        problems += faults(module, path.read_text(encoding="utf-8"), path.name == "__init__.py", table, set(modules))
    assert not problems, "\n".join(problems)


def test_the_table_names_only_modules_that_exist():
    table = layer_table((ROOT / "README.md").read_text(encoding="utf-8"))
    assert set(table) - set(package_modules()) == set()
    assert table["schemas"] == min(table.values()) and table["cli"] == max(table.values())


def test_an_import_up_a_layer_is_caught():
    table = {"periods": 1, "load": 3, "render": 8, "seal": 6, "check": 7, "contribute": 9, "contribute.cms": 8}
    known = {"periods", "load", "load.hygiene", "load.layout", "render", "render.sanitize", "seal",
             "seal.manifest", "check", "contribute", "contribute.issue", "contribute.cms"}
    assert faults("load.hygiene", "from baocao.render.sanitize import TAGS\n", False, table, known)
    assert faults("load.layout", "def f():\n    from baocao.seal import manifest\n", False, table, known)
    assert faults("load.hygiene", "from ..render import sanitize\n", False, table, known)
    assert faults("load.layout", "import baocao.check\n", False, table, known)
    assert faults("seal.manifest", "from baocao.check import run_check\n", False, table, known)
    assert faults("load.layout", "from baocao.load.hygiene import _private\n", False, table, known)
    assert faults("cache", "", False, table, known) == ["cache: in no layer of the README's table"]
    # down, across the same layer, and a longer name's layer
    assert not faults("contribute.issue", "from baocao.check import run_check\nfrom ..seal import manifest\n", False,
                      table, known)
    assert faults("contribute.issue", "from .cms import config\n", False, table, known) == []
    assert faults("contribute.cms", "from .issue import issue\n", False, table, known)
    assert not faults("render", "from baocao.load import hygiene\nfrom baocao.periods import Period\n", True,
                      table, known)
