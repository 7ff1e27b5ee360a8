"""The journal: posting balanced entries, reversing them, the lock date, and the accounts
posting rules point to.

On PostgreSQL an entry is inserted posted, then its lines; a trigger deferred to commit
checks that it balances. SQLite cannot defer a trigger: there an entry is inserted as a
draft with all its lines and then flipped to ``posted`` in the same transaction, and the
trigger checks the balance at the flip. Either way the database refuses any later change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import settings
from niaga.audit import current_actor
from niaga.clock import shop_today
from niaga.db import adopt, column_attributes, detached, insert_unless_present, table_of
from niaga.errors import Conflict, Invalid, NotFound, Refused
from niaga.l10n import format_day, format_money, format_number
from niaga.memo import forget, memo
from niaga.money import ZERO, to_decimal
from niaga.runtime import shared
from niaga_cashbank.chart import account_by_code, ensure_books
from niaga_cashbank.models import Account, JournalEntry, JournalLine, PostingRule

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Leg:
    """One side of an entry to post: an account and a debit or credit amount."""

    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    memo: str = ""
    party_kind: str | None = None
    party_id: int | None = None
    party_name: str = ""
    document: str = ""


def rule_account(session: Session, event: str, slot: str) -> Account:
    """The account the posting rule (``event``, ``slot``) points to.

    Every rule is read with its account in one statement, kept by the process while the
    configuration version stays the same (:func:`niaga.runtime.shared`; this plugin's
    migration 0005 watches the rules and accounts), and its accounts join ``session``
    without a statement."""
    rules = memo(session, "cashbank_rules")
    if not rules:
        rules.update(shared(session, "cashbank_rules", _load_rules))
    if not rules:  # first use: no books yet
        ensure_books(session)
        rules.update(_load_rules(session))
    account = rules.get((event, slot))
    if account is None:
        raise NotFound("No posting rule for {event} / {slot}", event=event, slot=slot)
    return adopt(session, account)


def _load_rules(session: Session) -> dict[tuple[str, str], Account]:
    """Every rule's account, as detached copies no session owns: they may be shared."""
    found = session.execute(
        sa.select(PostingRule.event, PostingRule.slot, *column_attributes(Account)).join(
            PostingRule.account
        )
    )
    accounts: dict[int, Account] = {}
    rules = {}
    for event, slot, *values in found:
        account = detached(Account, values)
        rules[(event, slot)] = accounts.setdefault(account.id, account)
    return rules


def set_rule(session: Session, event: str, slot: str, account_code: str) -> PostingRule:
    """Point the posting rule (``event``, ``slot``) at another account."""
    ensure_books(session)
    rule = session.scalar(
        sa.select(PostingRule).where(PostingRule.event == event, PostingRule.slot == slot)
    )
    if rule is None:
        raise NotFound("No posting rule for {event} / {slot}", event=event, slot=slot)
    account = account_by_code(session, account_code)
    if account.archived:
        raise Refused("Account {account} is archived", account=account.code)
    rule.account_id = account.id
    session.flush()
    session.refresh(rule)
    forget(session, "cashbank_rules")
    return rule


def lock_date(session: Session) -> dt.date | None:
    """Entries on or before this date are closed; ``None`` when no period is locked."""
    value = settings.get(session, "cashbank.lock_date")
    return dt.date.fromisoformat(value) if value else None


def set_lock_date(session: Session, value: dt.date | None) -> None:
    """Close the books up to ``value``; a lock date never moves back before posted work."""
    settings.put(session, "cashbank.lock_date", value.isoformat() if value else "")


def find_posted(session: Session, event: str, key: str) -> JournalEntry | None:
    """The entry already posted for (``event``, ``key``), if any."""
    return session.scalar(
        sa.select(JournalEntry).where(JournalEntry.event == event, JournalEntry.event_key == key)
    )


def post(
    session: Session,
    *,
    date: dt.date,
    description: str,
    legs: list[Leg],
    reference: str = "",
    event: str | None = None,
    event_key: str | None = None,
    automatic: bool = False,
    reverses: JournalEntry | None = None,
) -> JournalEntry | None:
    """Post a balanced entry and return it (``None`` when every leg is zero).

    With ``event``/``event_key`` the posting is idempotent: an entry already posted for the
    pair is returned instead (the pair is unique, so the database finds it, without a query
    on the way of every first posting). Manual entries in a locked period are refused;
    automatic ones are dated on the first open day, so another plugin's operation never
    fails for it.
    """
    legs = [leg for leg in map(_checked, legs) if leg.debit or leg.credit]
    if not legs:
        return None
    debit = sum((leg.debit for leg in legs), ZERO)
    credit = sum((leg.credit for leg in legs), ZERO)
    if debit != credit:
        raise Invalid(
            "The entry does not balance: debit {debit}, credit {credit}",
            debit=shown_amount(debit),
            credit=shown_amount(credit),
        )
    if not automatic:
        for leg in legs:
            if leg.account.archived:
                raise Refused("Account {account} is archived", account=leg.account.code)
    date = _open_date(session, date, automatic)
    values = {
        "date": date,
        "description": description[:255],
        "reference": reference[:80],
        "event": event,
        "event_key": event_key[:200] if event_key else None,
        "reverses_id": reverses.id if reverses else None,
        "created_by": current_actor()[:120],
        "posted": session.get_bind().dialect.name == "postgresql",
    }
    if event is None:
        entry = JournalEntry(**values)
        session.add(entry)
        session.flush()
    else:
        # The event may be posted already, by this transaction or another (the pair is
        # unique): then nothing is inserted, and the entry posted for it is the answer.
        statement = insert_unless_present(session, JournalEntry, "event", "event_key")
        inserted = session.scalars(statement, values).first()
        if inserted is None:
            existing = find_posted(session, event, values["event_key"])
            if existing is None:
                raise Conflict("The entry for {event} could not be posted", event=event)
            return existing
        entry = inserted
    # the lines in one statement, without the unit of work (they are append-only rows)
    session.execute(
        sa.insert(table_of(JournalLine)),
        [
            {
                "entry_id": entry.id,
                "account_id": leg.account.id,
                "debit": leg.debit,
                "credit": leg.credit,
                "memo": leg.memo[:255],
                "party_kind": leg.party_kind,
                "party_id": leg.party_id,
                "party_name": leg.party_name[:120],
                "document": leg.document[:80],
            }
            for leg in legs
        ],
    )
    if not entry.posted:
        entry.posted = True  # SQLite: the database checks here that the lines balance
        session.flush()
    return entry


def shown_amount(amount: Decimal) -> str:
    """``Rp 1.250.000``, with the cents when there are any (``Rp 1.250.000,50``), so two
    amounts that differ by cents never look the same in a message."""
    if amount == amount.to_integral_value():
        return format_money(amount)
    return f"Rp {format_number(amount, 2)}"


def _checked(leg: Leg) -> Leg:
    # Debit minus credit decides the side, so callers need no sign juggling.
    net = to_decimal(leg.debit) - to_decimal(leg.credit)
    if net != net.quantize(CENT):
        raise Invalid("Amounts have at most two decimals")
    return replace(leg, debit=max(net, ZERO), credit=max(-net, ZERO))


def _open_date(session: Session, date: dt.date, automatic: bool) -> dt.date:
    locked = lock_date(session)
    if locked is None or date > locked:
        return date
    if automatic:
        return locked + dt.timedelta(days=1)
    raise Refused(
        "The books are closed up to {date}; post in an open period or reverse there",
        date=format_day(locked),
    )


def get_entry(session: Session, entry_id: int) -> JournalEntry:
    entry = session.get(JournalEntry, entry_id)
    if entry is None:
        raise NotFound("No journal entry {id}", id=entry_id)
    return entry


def reverse(
    session: Session, entry: JournalEntry, date: dt.date | None = None, reason: str = ""
) -> JournalEntry:
    """Post the mirror image of ``entry`` (debits become credits) on ``date``; an entry is
    reversed at most once, and a reversal cannot itself be reversed."""
    if not entry.posted:
        raise Refused("Only posted entries can be reversed")
    if entry.reverses_id is not None:
        raise Refused("Entry {id} is itself a reversal", id=entry.id)
    already = session.scalar(sa.select(JournalEntry.id).where(JournalEntry.reverses_id == entry.id))
    if already is not None:
        raise Refused(
            "Entry {id} was already reversed by entry {other}", id=entry.id, other=already
        )
    legs = [
        Leg(
            account=line.account,
            debit=line.credit,
            credit=line.debit,
            memo=line.memo,
            party_kind=line.party_kind,
            party_id=line.party_id,
            party_name=line.party_name,
            document=line.document,
        )
        for line in entry.lines
    ]
    text = f"Pembalikan #{entry.id}: {entry.description}"
    if reason:
        text += f" ({reason})"
    reversal = post(
        session,
        date=date or shop_today(session),
        description=text,
        legs=legs,
        reference=entry.reference,
        reverses=entry,
        automatic=False,
    )
    assert reversal is not None
    return reversal
