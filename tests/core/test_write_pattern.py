"""Issue 15: one way to write. Views, commands and API methods end their work with
``niaga.db.committed`` or ``niaga.actions.run_action``; only the unit-of-work machinery
itself, and code handed a session of its own to run, calls ``commit()``."""

from __future__ import annotations

import ast
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]

#: modules that may call ``commit()``, and why
OWN_TRANSACTIONS = {
    "core/niaga/db.py": "committed() and transaction(): the unit of work itself",
    "core/niaga/idempotency.py": "commits a request's one transaction with its stored answer",
    "core/niaga/jobs.py": "the worker: one transaction per job",
    "core/niaga/outbox.py": "the worker: one transaction per message delivered",
    "core/niaga/numbering.py": "numbers drawn on a connection of their own",
    "core/niaga/demo.py": "one commit per plugin's demo data, in the session it is given",
    "core/niaga/testing.py": "test fixtures",
    "plugins/inventory/niaga_inventory/imports.py": "an import is all or nothing over savepoints",
    "plugins/payments/niaga_payments/reconcile.py": "a job: each payment's refresh stands alone",
    "plugins/payments/niaga_payments/testing/__init__.py": "test fixtures",
    "plugins/payments/niaga_payments/testing/orders.py": "test fixtures",
}


def packages() -> list[Path]:
    found = [CHECKOUT / "core" / "niaga"]
    found += sorted(path.parent for path in CHECKOUT.glob("plugins/*/niaga_*/__init__.py"))
    found += sorted(path.parent for path in CHECKOUT.glob("examples/*/niaga_*/__init__.py"))
    return found


def commits(path: Path) -> list[int]:
    """Lines of ``something.commit()`` calls in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
        and not node.args
    ]


def test_only_the_unit_of_work_commits():
    raw = []
    for package in packages():
        for path in sorted(package.rglob("*.py")):
            relative = path.relative_to(CHECKOUT).as_posix()
            if "/migrations/" in relative or relative in OWN_TRANSACTIONS:
                continue
            raw += [f"{relative}:{line}" for line in commits(path)]
    assert raw == [], "end the work with committed(...) or run_action(...) instead"


def test_the_check_sees_a_raw_commit(tmp_path):
    module = tmp_path / "view.py"
    module.write_text("def save(db):\n    db.add(1)\n    db.commit()\n")
    assert commits(module) == [3]


def test_every_exception_still_exists():
    assert [name for name in OWN_TRANSACTIONS if not (CHECKOUT / name).is_file()] == []
