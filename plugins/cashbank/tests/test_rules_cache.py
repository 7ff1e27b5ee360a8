"""The posting rules are kept per process (journal.rule_account, niaga.runtime.shared) and
read again whenever a rule or an account changes, wherever the change comes from."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from niaga.testing import another_process, see_config_version, sent_statements
from niaga_cashbank import journal

pytestmark = pytest.mark.plugins("cashbank")

QRIS = ("payment_method", "qris")


def qris_account(db) -> str:
    """The code of the QRIS rule's account, in a transaction that saw the version, as a
    request would."""
    see_config_version(db)
    return journal.rule_account(db, *QRIS).code


def test_the_rules_are_read_once_per_process_while_nothing_changes(books):
    assert qris_account(books) == "1-1250"
    books.commit()
    with sent_statements(books.get_bind()) as seen:
        qris_account(books)
    assert not [s for s in seen if "cashbank_posting_rule" in s], seen
    account = journal.rule_account(books, *QRIS)
    assert account in books  # a session's own object, usable in its lines


def test_a_rule_changed_by_another_process_is_used_by_the_next_transaction(app, books):
    assert qris_account(books) == "1-1250"
    books.commit()
    with another_process(app) as connection:
        connection.execute(
            sa.text(
                "UPDATE cashbank_posting_rule SET account_id ="
                " (SELECT id FROM cashbank_account WHERE code = '1-1260')"
                " WHERE event = 'payment_method' AND slot = 'qris'"
            )
        )
    assert qris_account(books) == "1-1260"


def test_a_rule_changed_in_the_transaction_is_its_own_until_it_commits(books):
    assert qris_account(books) == "1-1250"
    books.commit()
    assert qris_account(books) == "1-1250"
    journal.set_rule(books, *QRIS, "1-1260")
    assert qris_account(books) == "1-1260"
    books.rollback()
    assert qris_account(books) == "1-1250"  # the rolled-back rule reached no one
    journal.set_rule(books, *QRIS, "1-1260")
    books.commit()
    assert qris_account(books) == "1-1260"
