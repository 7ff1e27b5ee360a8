"""The README's demo, end to end: `niaga demo` loads a month of every plugin's business,
and afterwards every ledger agrees with every other and the books balance."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import sqlalchemy as sa

ALL = {"inventory", "sales", "cashbank", "purchasing", "payments", "loyalty"}


def test_demo_month_leaves_consistent_books(run_niaga, app, db):
    loaded = run_niaga("demo", "--no-serve")
    assert "Demo data loaded." in loaded.stdout
    assert "Log in as owner@demo.niaga.id" in loaded.stdout
    again = run_niaga("demo", "--no-serve")  # loading twice is refused quietly
    assert "Demo data loaded." not in again.stdout

    # Every plugin's own consistency check (balances vs ledgers, postings balance).
    assert run_niaga("check").returncode == 0

    from niaga_cashbank import export
    from niaga_inventory import valuation

    db.expire_all()
    enabled = {
        r[0] for r in db.execute(sa.text("SELECT name FROM core_plugin_state WHERE enabled"))
    }
    assert enabled >= ALL

    lines = db.execute(
        sa.text(
            "SELECT a.code, a.type, l.debit, l.credit FROM cashbank_journal_line l "
            "JOIN cashbank_account a ON a.id = l.account_id"
        )
    ).all()
    assert len(lines) > 100, "the demo month should post plenty of entries"
    net: dict[str, Decimal] = defaultdict(Decimal)
    for code, _type, debit, credit in lines:
        net[code] += debit - credit
    assert sum(net.values()) == 0, "trial balance"

    # The stock ledger and the books agree on what the stock is worth.
    assert net["1-1400"] == valuation.report(db)["total"]
    # Opening stock is capital brought in, not a stock-count difference.
    assert net["3-1000"] < 0
    # Something was sold, and it cost something.
    assert net["4-1000"] < 0 and net["5-1000"] > 0

    # beancount accepts the export, with the same balance per account.
    from beancount import loader
    from beancount.core import realization

    entries, errors, _options = loader.load_string(export.beancount(db))
    assert errors == []
    tree = realization.realize(entries)
    checked = 0
    for account in realization.iter_children(tree):
        if not account.account or account.balance.is_empty():
            continue
        code = "-".join(account.account.split(":")[-1].split("-")[:2])
        assert account.balance.get_currency_units("IDR").number == net[code], account.account
        checked += 1
    assert checked == sum(1 for value in net.values() if value)
