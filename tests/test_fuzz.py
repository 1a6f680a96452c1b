"""Property-based tests: whatever is thrown at the loader and the check, no exception
escapes and the command exits 0 or 1."""

from __future__ import annotations

import shutil

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao import cli
from baocao.check import run_check
from baocao.load.frontmatter import split
from baocao.load.yamlsafe import load_yaml

CA = "docs/reports/2025-q3/cong-an.md"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

yaml_chars = st.sampled_from(list("ab:- \n\t[]{}&*!|>'\"#%@`,?.0123456789đảĐ\\") + ["\r\n", "---", "...",
                                                                                     "<<", "!!python/"])
yaml_soup = st.lists(yaml_chars, max_size=200).map("".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                    st.text(max_size=30), st.dates())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                      max_leaves=20)
keys = st.sampled_from(["part", "category", "contributor", "status", "figures", "documents", "milestones",
                        "title", "stauts", "period", "ket_nap"])
front_matter = st.dictionaries(keys, values, max_size=8)



@given(yaml_soup)
@settings(max_examples=500, deadline=None)
def test_yaml_reader_never_raises(text):
    result = load_yaml(text)
    for error in result.errors:
        assert error.line >= 1 and error.message


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_split_never_raises(text):
    split(text)


def _check_file(pristine, tmp_path, content) -> None:
    root = tmp_path / "repo"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(pristine, root)
    path = root / CA
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = run_check(root)
    assert all(p.line >= 1 and p.path and p.message for p in result.problems)
    assert cli.main(["--root", str(root), "check"]) in (0, 1)


@given(front_matter, st.text(max_size=200))
@FUZZ
def test_check_survives_random_front_matter(pristine, tmp_path, fm, body):
    text = "---\n" + yaml.safe_dump(fm, allow_unicode=True, default_flow_style=False) + "---\n" + body
    _check_file(pristine, tmp_path, text)


@given(yaml_soup, st.text(max_size=100))
@FUZZ
def test_check_survives_yaml_soup(pristine, tmp_path, soup, body):
    _check_file(pristine, tmp_path, "---\n" + soup + "\n---\n" + body)


@given(st.binary(max_size=300))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_check_survives_random_bytes(pristine, tmp_path, raw):
    _check_file(pristine, tmp_path, b"---\n" + raw)
