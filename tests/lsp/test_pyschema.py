"""A Python schema named in the settings is read from its source, never imported."""

from __future__ import annotations

from pathlib import Path

import pytest

import icpdsl
from icpdsl.lsp.pyschema import read_schema

MODELS = """\
import dataclasses
import datetime
from decimal import Decimal
from typing import Annotated, Literal, Optional

raise SystemExit("importing this module would run it")


@dataclasses.dataclass
class Address:
    country: str
    city: str | None = None


@dataclasses.dataclass
class Account:
    employees: int = dataclasses.field(metadata={"column": "Number of Employees"})
    revenue: Annotated[Decimal, "money"]
    industry: Literal["SaaS", "B2B Software"]
    tech: set[str]
    founded: Optional[datetime.date]
    active: bool
    hq: Address
    score_text: "percent"
"""


def test_the_class_is_read_from_its_source_without_running_it(tmp_path: Path) -> None:
    (tmp_path / "crm").mkdir()
    (tmp_path / "crm" / "models.py").write_text(MODELS, encoding="utf-8")
    schema = read_schema("crm.models:Account", tmp_path)
    types = {name: str(spec.type) for name, spec in schema.fields.items()}
    assert types == {
        "employees": "int",
        "revenue": "money",
        "industry": "category [SaaS, B2B Software]",
        "tech": "set[string]",
        "founded": "date",
        "active": "bool",
        "hq": "{ country: string, city: string }",
        "score_text": "percent",
    }
    assert schema.fields["employees"].column == "Number of Employees"
    found = icpdsl.check("employes > 10\n", schema=schema)
    assert [(d.code, d.fix) for d in found] == [("ICP010", "employees")]


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("crm.models", "write it as module:Class"),
        ("crm.nothing:Account", "no crm/nothing.py under"),
        ("crm.models:Missing", "models.py has no class Missing"),
    ],
)
def test_a_schema_that_cannot_be_read_says_why(tmp_path: Path, spec: str, problem: str) -> None:
    (tmp_path / "crm").mkdir()
    (tmp_path / "crm" / "models.py").write_text(MODELS, encoding="utf-8")
    with pytest.raises(icpdsl.ICPError, match=problem):
        read_schema(spec, tmp_path)
