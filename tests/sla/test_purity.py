"""The SLA engine stays pure: no web framework, no ORM, no wall clock inside it."""
import ast
from pathlib import Path

import pytest

SLA = Path(__file__).resolve().parents[2] / "app" / "sla"


@pytest.mark.parametrize("path", sorted(SLA.glob("*.py")), ids=lambda p: p.name)
def test_engine_imports_no_framework(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"flask", "flask_appbuilder", "sqlalchemy", "flask_sqlalchemy"}


@pytest.mark.parametrize("path", sorted(SLA.glob("*.py")), ids=lambda p: p.name)
def test_engine_never_reads_the_wall_clock(path):
    source = path.read_text(encoding="utf-8")
    assert ".now(" not in source and "utcnow" not in source and "time.time(" not in source
