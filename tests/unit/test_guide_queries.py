"""The guide's and the cookbook's query files: explained, numbered, only the documented parameters.

That each returns rows on a published sample is checked on the real server
(tests/integration/test_positions.py).
"""

from __future__ import annotations

import re

import pytest

from copatent import guide

ALL = [name for folder in guide.FOLDERS for name in guide.queries(folder)]


def test_the_guide_has_seven_queries_and_the_cookbook_eleven_numbered_in_order() -> None:
    for folder, count in (("guide", 7), ("cookbook", 11)):
        names = guide.queries(folder)
        assert [n.split("/")[1][:3] for n in names] == [f"{i:02d}_" for i in range(1, count + 1)]


@pytest.mark.parametrize("name", ALL, ids=ALL)
def test_each_query_begins_with_its_explanation(name: str) -> None:
    text = guide.text(name)
    assert text.startswith("// ")
    explanation = guide.explanation(name)
    assert len(explanation) > 60, explanation
    assert any(line and not line.startswith("//") for line in text.splitlines())


@pytest.mark.parametrize("name", ALL, ids=ALL)
def test_each_query_uses_only_the_documented_parameters(name: str) -> None:
    code = "\n".join(ln for ln in guide.text(name).splitlines() if not ln.startswith("//"))
    used = set(re.findall(r"\$(\w+)", code))
    assert used <= set(guide.GUIDE_PARAMS), used - set(guide.GUIDE_PARAMS)
    assert "apoc." not in code.lower()  # not installed on the server copatent runs


@pytest.mark.parametrize("name", ALL, ids=ALL)
def test_regions_are_found_by_name_english_name_or_key(name: str) -> None:
    code = "\n".join(ln for ln in guide.text(name).splitlines() if not ln.startswith("//"))
    for param in ("region", "other"):
        for found in re.finditer(rf"\${param}\b(.{{0,40}})", code):
            assert re.match(r" IN \[(\w+)\.name, \1\.name_en, \1\.key\]", found[1]), found[0]


def test_the_default_parameters_name_the_sample_regions() -> None:
    from copatent.geo import names

    english = set(names.names("province", "en").values())
    assert {guide.GUIDE_PARAMS["region"], guide.GUIDE_PARAMS["other"]} <= english
    assert all(value.isascii() for value in guide.GUIDE_PARAMS.values())  # neo4j.conf
    assert set(guide.GUIDE_PARAMS) == {"scale", "period", "region", "other", "method"}


@pytest.mark.parametrize("name", guide.queries("cookbook"))
def test_the_readme_shows_each_cookbook_query_as_it_is(name: str) -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    body = "\n".join(ln for ln in guide.text(name).splitlines() if not ln.startswith("//"))
    assert f"`{name.split('/')[1]}`" in readme
    assert f"```cypher\n{body.strip()}\n```" in readme
