"""The README points only to what a clone has (issue 14.17): every file or folder it
names in backticks, and every module of its module map."""

from __future__ import annotations

import re
import subprocess

from conftest import ROOT

#: Names the README quotes that are not paths of this repository: built or cached output,
#: site URLs, environment values, Python names, examples. Absolute paths (a server's
#: folders) and placeholders (``DIR/current``) are not either.
NOT_PATHS = re.compile(r"^(site/|\.cache/|\.venv/|reports/<|thong-ke/|to-chuc/|van-ban/|tien-do/|http|"
                       r"BAOCAO_|executable_path|page\.meta|site\.plan|gc\.|baocao\.|dd/|25/8/|word/)")


def _tracked() -> set[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    files = set(listed.split())
    folders = {f.rsplit("/", i)[0] for f in files for i in range(1, f.count("/") + 1)}
    return files | folders


def test_readme_names_only_files_a_clone_has():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    tracked = _tracked()
    missing = []
    table = text[text.index("| module | role |"):]
    table = table[:table.index("\n\n")]
    for quoted in re.findall(r"`([^`\s]+)`", text.replace(table, "")):
        if NOT_PATHS.match(quoted) or ("/" not in quoted and "." not in quoted):
            continue
        if quoted.startswith("/") or re.match(r"^[A-Z_]+/", quoted):  # a server's path; a placeholder
            continue
        if "/" not in quoted and not re.search(r"\.(md|py|js|css|yml|yaml|toml|sh|txt|json|html)$", quoted):
            continue
        path = quoted.rstrip("/").removeprefix("./")
        if not path or f"hooks/baocao/{path}.py" in tracked:  # `/` alone; a module named by its path
            continue
        if path.startswith("../") or not (path in tracked or any(t.endswith("/" + path) for t in tracked)):
            missing.append(quoted)
    # the module map: `load/yamlsafe`, `render/pages`, `cli` ... are modules of hooks/baocao
    for cell in re.findall(r"^\| ([^|]+) \|", table, flags=re.M)[2:]:
        for module in re.findall(r"`([a-z_/]+)`", cell):
            base = f"hooks/baocao/{module}"
            if f"{base}.py" not in tracked and f"{base}/__init__.py" not in tracked:
                missing.append(module)
    assert not missing, missing
