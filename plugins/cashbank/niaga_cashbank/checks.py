"""Consistency checks of the books: every posted entry balances, no entry is left as a draft,
and the trial balance sums to zero."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.money import ZERO
from niaga_cashbank import ledger
from niaga_cashbank.models import JournalEntry


def problems(session: Session) -> list[str]:
    """What is wrong with the books (empty when all is well)."""
    found = [f"journal entry {i} does not balance" for i in ledger.unbalanced_entries(session)]
    drafts = session.scalar(
        sa.select(sa.func.count()).select_from(JournalEntry).where(JournalEntry.posted.is_(False))
    )
    if drafts:
        found.append(f"{drafts} journal entries were never posted")
    total = sum(ledger.net(session).values(), ZERO)
    if total != 0:
        found.append(f"the trial balance does not sum to zero (off by {total})")
    return found
