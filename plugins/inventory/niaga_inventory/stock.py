"""The stock ledger: every change of stock is a move, recorded here and nowhere else.

Balances (on hand, reserved) are a cache of the ledger, changed only by conditional atomic
UPDATEs such as ``SET reserved = reserved + :q WHERE on_hand - reserved >= :q``, so two
transactions can never both take the last units: on PostgreSQL the second UPDATE waits for
the first and re-checks its condition on the committed row; on SQLite writers queue.

Locks are always taken in one order: the document's valuation rows (ascending product
id, one statement), its reservation rows, then its balance rows (ascending product id), so
documents with several lines cannot deadlock each other.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.audit import current_actor
from niaga.clock import shop_date
from niaga.db import table_of, utcnow
from niaga.errors import InsufficientStock, Invalid
from niaga.l10n import format_quantity
from niaga.money import ZERO, round_cost, round_rupiah, to_decimal
from niaga.runtime import hooks
from niaga_inventory import contracts, valuation
from niaga_inventory.models import Product, Reservation, StockBalance, StockMove, Valuation
from niaga_inventory.products import get_product, load_products, to_base, unit_name
from niaga_inventory.upsert import insert_missing, insert_or_add
from niaga_inventory.warehouses import get_warehouse

IN_KINDS = ("receipt", "return_in")
OUT_KINDS = ("issue", "return_out", "gift")
KINDS = (*IN_KINDS, *OUT_KINDS, "transfer_in", "transfer_out", "adjustment", "opening")
HALF_STEP = Decimal("0.00005")


@dataclass(frozen=True)
class Item:
    """A request line resolved: product, warehouse, base quantity and cost per base unit."""

    product: Product
    warehouse_id: int
    quantity: Decimal
    unit: str
    unit_quantity: Decimal
    cost: Decimal | None


def new_reference(kind: str) -> str:
    """A reference for stock changed by hand (``inventory.adjustment:3f2a...``)."""
    return f"inventory.{kind}:{uuid.uuid4().hex[:10]}"


def resolve(session: Session, lines: Iterable[contracts.StockLine]) -> list[Item]:
    """Check and convert request lines; tracked products only, in lock order."""
    lines = list(lines)
    loaded = load_products(session, [line.product_id for line in lines])
    warehouses: dict[int | None, int] = {}
    items = []
    for index, line in enumerate(lines):
        product = get_product(session, line.product_id)
        try:
            amount = to_decimal(line.quantity)
        except (TypeError, ValueError):
            amount = ZERO
        unit = unit_name(line.unit) or product.base_unit
        base = to_base(product, amount, unit) if amount > 0 else ZERO
        if base <= 0:
            raise Invalid(
                "Line {n}: the quantity must be more than zero",
                n=index + 1,
                fields={"quantity": ["Must be more than zero."]},
            )
        if not product.track_stock:
            continue
        cost = None
        if line.cost is not None:
            cost = to_decimal(line.cost)
            if cost < 0:
                raise Invalid("Line {n}: the cost must not be negative", n=index + 1)
            cost = round_cost(cost * amount / base)
        if line.warehouse_id not in warehouses:
            warehouses[line.warehouse_id] = get_warehouse(session, line.warehouse_id).id
        items.append(Item(product, warehouses[line.warehouse_id], base, unit, amount, cost))
    del loaded
    return sorted(items, key=lambda item: (item.product.id, item.warehouse_id))


def _balance_update(
    session: Session,
    product: Product,
    warehouse_id: int,
    *,
    on_hand: Decimal = ZERO,
    reserved: Decimal = ZERO,
    guard: Decimal | None = None,
) -> bool:
    """Change a balance by the deltas; with ``guard``, only if at least that much is
    available (on hand minus reserved) first. Returns whether the row changed.

    The row is created (at zero) only when the UPDATE finds nothing to change, so the usual
    case is one statement."""
    guarded = guard is not None and guard > 0 and not product.allow_negative
    statement = _balance_statement(guarded)
    params = {
        "of_product": product.id,
        "in_warehouse": warehouse_id,
        "on_hand_delta": on_hand,
        "reserved_delta": reserved,
        # Quantities have 4 decimals; the half-step tolerance only absorbs SQLite's REAL
        # arithmetic (0.3 - 0.1 < 0.2) and never lets a smaller quantity pass.
        "at_least": (guard - HALF_STEP) if guarded and guard is not None else ZERO,
    }
    if session.execute(statement, params).rowcount == 1:
        return True
    if not insert_missing(session, StockBalance, product_id=product.id, warehouse_id=warehouse_id):
        return False  # the row was there: the guard refused
    return session.execute(statement, params).rowcount == 1


@functools.cache
def _balance_statement(guarded: bool) -> sa.Update:
    """The balance UPDATE of :func:`_balance_update`, built once (``guarded``: only while at
    least ``at_least`` is available)."""
    quantity = StockBalance.on_hand.type
    statement = (
        sa.update(StockBalance)
        .where(StockBalance.product_id == sa.bindparam("of_product"))
        .where(StockBalance.warehouse_id == sa.bindparam("in_warehouse"))
        .values(
            on_hand=StockBalance.on_hand + sa.bindparam("on_hand_delta", type_=quantity),
            reserved=StockBalance.reserved + sa.bindparam("reserved_delta", type_=quantity),
        )
        .execution_options(synchronize_session=False)
    )
    if guarded:
        statement = statement.where(
            StockBalance.on_hand - StockBalance.reserved >= sa.bindparam("at_least", type_=quantity)
        )
    return statement


def _refuse(session: Session, item: Item, wanted: Decimal) -> InsufficientStock:
    left = available(session, item.product.id, item.warehouse_id) or ZERO
    return InsufficientStock(
        "Insufficient stock of {product}: {available} {unit} available, {wanted} {unit} needed",
        product=item.product.name,
        available=format_quantity(max(left, ZERO)),
        wanted=format_quantity(wanted),
        unit=item.product.base_unit,
        fields={"product_id": [str(item.product.id)]},
    )


def available(session: Session, product_id: int, warehouse_id: int | None = None) -> Decimal:
    """On hand minus reserved, in base units (all warehouses when ``warehouse_id`` is None)."""
    statement = sa.select(
        sa.func.coalesce(sa.func.sum(StockBalance.on_hand - StockBalance.reserved), 0)
    ).where(StockBalance.product_id == product_id)
    if warehouse_id is not None:
        statement = statement.where(StockBalance.warehouse_id == warehouse_id)
    return to_decimal(session.scalar(statement))


def available_by_product(session: Session, product_ids: Iterable[int]) -> dict[int, Decimal]:
    """:func:`available` of many products (all warehouses) in one query; 0 when none."""
    ids = list(product_ids)
    rows = session.execute(
        sa.select(
            StockBalance.product_id, sa.func.sum(StockBalance.on_hand - StockBalance.reserved)
        )
        .where(StockBalance.product_id.in_(ids))
        .group_by(StockBalance.product_id)
    )
    found = {product_id: to_decimal(left) for product_id, left in rows}
    return {product_id: found.get(product_id, ZERO) for product_id in ids}


def balances(session: Session, product_id: int) -> list[tuple[int, Decimal, Decimal]]:
    """``(warehouse_id, on_hand, reserved)`` per warehouse, read fresh from the database."""
    rows = session.execute(
        sa.select(StockBalance.warehouse_id, StockBalance.on_hand, StockBalance.reserved)
        .where(StockBalance.product_id == product_id)
        .order_by(StockBalance.warehouse_id)
    )
    return [(row[0], row[1], row[2]) for row in rows]


# --- reservations ---------------------------------------------------------------------------


def reserve(session: Session, reference: str, lines: Iterable[contracts.StockLine]) -> None:
    """Reserve every line for ``reference``, or none of them (:class:`InsufficientStock`).

    Without a savepoint: when a line is refused, what the lines before it reserved is given
    back by the opposite change (on rows this transaction holds locked) before the refusal
    is raised, so the usual case costs one statement per line and nothing more."""
    items = resolve(session, lines)
    for done, item in enumerate(items):
        if not _balance_update(
            session, item.product, item.warehouse_id, reserved=item.quantity, guard=item.quantity
        ):
            for earlier in items[:done]:
                _balance_update(
                    session, earlier.product, earlier.warehouse_id, reserved=-earlier.quantity
                )
            raise _refuse(session, item, item.quantity)
    _add_reservations(session, reference, items)


def _add_reservations(session: Session, reference: str, items: list[Item]) -> None:
    """Add the items' quantities to ``reference``'s reservation rows, in one statement."""
    totals: dict[tuple[int, int], Decimal] = {}
    for item in items:
        key = (item.product.id, item.warehouse_id)
        totals[key] = totals.get(key, ZERO) + item.quantity
    insert_or_add(
        session,
        Reservation,
        ("reference", "product_id", "warehouse_id"),
        ("quantity", "original"),
        [
            {
                "reference": reference,
                "product_id": product_id,
                "warehouse_id": warehouse_id,
                "quantity": quantity,
                "original": quantity,
                "created_at": utcnow(),
            }
            for (product_id, warehouse_id), quantity in sorted(totals.items())
        ],
    )


def release(session: Session, reference: str) -> Decimal:
    """Release what is still reserved for ``reference``; returns the quantity released."""
    open_rows = session.execute(
        sa.select(Reservation.id, Reservation.product_id, Reservation.warehouse_id)
        .where(Reservation.reference == reference, Reservation.quantity > 0)
        .order_by(Reservation.product_id, Reservation.warehouse_id)
    ).all()
    released = ZERO
    for row_id, product_id, warehouse_id in open_rows:
        quantity = _take_reservation(session, row_id, None)
        product = get_product(session, product_id)
        _balance_update(session, product, warehouse_id, reserved=-quantity)
        released += quantity
    return released


def _take_reservation(session: Session, row_id: int, limit: Decimal | None) -> Decimal:
    """Lock a reservation row and take up to ``limit`` (all when None) from it."""
    row = session.scalars(
        sa.select(Reservation)
        .where(Reservation.id == row_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    taken = row.quantity if limit is None else min(row.quantity, limit)
    row.quantity = row.quantity - taken
    session.flush()
    return taken


def reserved_for(session: Session, reference: str) -> list[Reservation]:
    """The reservation rows of ``reference`` (open and used up)."""
    return list(
        session.scalars(
            sa.select(Reservation)
            .where(Reservation.reference == reference)
            .order_by(Reservation.id)
            .execution_options(populate_existing=True)
        )
    )


# --- moves ------------------------------------------------------------------------------


def _record(
    item: Item,
    kind: str,
    sign: int,
    priced: valuation.Priced,
    reference: str,
    reason: str,
) -> list[dict[str, Any]]:
    """The move rows of ``item`` (with a cost correction when ``priced`` has one), to be
    written by :func:`_announce`."""
    common = {
        "occurred_at": utcnow(),
        "product_id": item.product.id,
        "warehouse_id": item.warehouse_id,
        "unit_cost": priced.unit_cost,
        "reference": reference,
        "actor": current_actor()[:120],
    }
    moves = [
        common
        | {
            "kind": kind,
            "quantity": sign * item.quantity,
            "unit": item.unit,
            "unit_quantity": sign * item.unit_quantity,
            "value": sign * priced.value,
            "reason": reason,
        }
    ]
    if priced.correction:
        moves.append(
            common
            | {
                "kind": "adjustment",
                "quantity": ZERO,
                "unit": item.product.base_unit,
                "unit_quantity": ZERO,
                "value": priced.correction,
                "reason": "cost correction after negative stock",
            }
        )
    return moves


def business_date(move: Any, session: Session | None = None) -> dt.date:
    """The shop's business day of a move (from its UTC instant, in WIB/WITA/WIT)."""
    return shop_date(move.occurred_at, session)


#: What other plugins learn of a move (``contracts.StockMove`` besides its id).
_CONTRACT_FIELDS = (
    "product_id",
    "warehouse_id",
    "kind",
    "quantity",
    "unit_cost",
    "value",
    "reference",
    "occurred_at",
    "reason",
)


def as_contract(move: StockMove) -> contracts.StockMove:
    return contracts.StockMove(
        id=move.id, **{name: getattr(move, name) for name in _CONTRACT_FIELDS}
    )


def _announce(session: Session, moves: list[dict[str, Any]]) -> list[contracts.StockMove]:
    """Write the moves (in one statement, without the unit of work: they are append-only
    rows) with the locked rows' changes, and tell the other plugins, in this transaction."""
    session.flush()
    if not moves:
        return []
    ids = session.scalars(_INSERT_MOVES, moves).all()
    found = [
        contracts.StockMove(id=move_id, **{name: move[name] for name in _CONTRACT_FIELDS})
        for move_id, move in zip(ids, moves, strict=True)
    ]
    hooks().inventory_stock_moved(session=session, moves=found)
    return found


_INSERT_MOVES = sa.insert(table_of(StockMove)).returning(
    table_of(StockMove).c.id, sort_by_parameter_order=True
)


def _move_in(
    session: Session,
    item: Item,
    kind: str,
    reference: str,
    reason: str,
    locked: dict[int, Valuation],
) -> list[dict[str, Any]]:
    val = locked[item.product.id]
    cost = item.cost if item.cost is not None else valuation.current_cost(val, item.product)
    priced = valuation.take_in(val, item.quantity, cost)
    _balance_update(session, item.product, item.warehouse_id, on_hand=item.quantity)
    return _record(item, kind, 1, priced, reference, reason)


def _move_out(
    session: Session,
    item: Item,
    kind: str,
    reference: str,
    reason: str,
    locked: dict[int, Valuation],
    reservations: dict[tuple[int, int], Reservation],
    *,
    guarded: bool = True,
) -> list[dict[str, Any]]:
    val = locked[item.product.id]
    consumed = _consume_reservation(reservations, item)
    unreserved = item.quantity - consumed
    if not _balance_update(
        session,
        item.product,
        item.warehouse_id,
        on_hand=-item.quantity,
        reserved=-consumed,
        guard=unreserved if guarded else None,
    ):
        raise _refuse(session, item, unreserved)
    priced = valuation.take_out(val, item.quantity, valuation.current_cost(val, item.product))
    return _record(item, kind, -1, priced, reference, reason)


def _lock_reservations(
    session: Session, reference: str, items: list[Item]
) -> dict[tuple[int, int], Reservation]:
    """``reference``'s reservation rows of the items' products, locked, in one statement."""
    if not items:
        return {}
    rows = session.scalars(
        sa.select(Reservation)
        .where(
            Reservation.reference == reference,
            Reservation.product_id.in_({item.product.id for item in items}),
        )
        .order_by(Reservation.product_id, Reservation.warehouse_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {(row.product_id, row.warehouse_id): row for row in rows}


def _consume_reservation(reservations: dict[tuple[int, int], Reservation], item: Item) -> Decimal:
    """Take up to the item's quantity from its locked reservation row (flushed later)."""
    row = reservations.get((item.product.id, item.warehouse_id))
    if row is None:
        return ZERO
    taken = min(row.quantity, item.quantity)
    row.quantity = row.quantity - taken
    return taken


def _lock(
    session: Session, items: list[Item], reference: str | None = None
) -> tuple[dict[int, Valuation], dict[tuple[int, int], Reservation]]:
    """Lock what moving ``items`` changes, in one order for every document: the products'
    valuation rows (ascending), then ``reference``'s reservation rows; balances follow, per
    item in ascending product order. The rows' changes are flushed together at the end."""
    locked = valuation.lock_all(session, [item.product.id for item in items]) if items else {}
    reservations = _lock_reservations(session, reference, items) if reference else {}
    return locked, reservations


def issue(
    session: Session,
    reference: str,
    lines: Iterable[contracts.StockLine],
    kind: str = "issue",
    reason: str = "",
) -> list[contracts.StockMove]:
    """Take stock out at average cost, using ``reference``'s reservations first. All or
    nothing; refused when stock would go below zero (unless the product allows it)."""
    if kind not in OUT_KINDS:
        raise Invalid("Kind {kind} does not take stock out", kind=kind)
    items = resolve(session, lines)
    with session.begin_nested(), session.no_autoflush:
        locked, reservations = _lock(session, items, reference)
        moves = [
            m
            for item in items
            for m in _move_out(session, item, kind, reference, reason, locked, reservations)
        ]
        return _announce(session, moves)


def receive(
    session: Session,
    reference: str,
    lines: Iterable[contracts.StockLine],
    kind: str = "receipt",
    reason: str = "",
) -> list[contracts.StockMove]:
    """Put stock in at each line's cost (the average cost when a line has none)."""
    if kind not in IN_KINDS:
        raise Invalid("Kind {kind} does not put stock in", kind=kind)
    items = resolve(session, lines)
    with session.begin_nested(), session.no_autoflush:
        locked, _ = _lock(session, items)
        moves = [
            m for item in items for m in _move_in(session, item, kind, reference, reason, locked)
        ]
        return _announce(session, moves)


def adjust(
    session: Session,
    reference: str,
    changes: Iterable[tuple[contracts.StockLine, int]],
    reason: str,
    kind: str = "adjustment",
) -> list[contracts.StockMove]:
    """Adjustment moves (``kind`` ``adjustment``, or ``opening`` for opening stock): each
    ``(line, sign)`` adds (+1) or removes (-1) stock. Removing is never refused: a count
    says the goods are not there."""
    if not reason.strip():
        raise Invalid("An adjustment needs a reason", fields={"reason": ["Required."]})
    resolved = sorted(
        ((item, sign) for line, sign in changes for item in resolve(session, [line])),
        key=lambda pair: (pair[0].product.id, pair[0].warehouse_id),
    )
    with session.begin_nested(), session.no_autoflush:
        locked, reservations = _lock(session, [item for item, _ in resolved], reference)
        moves: list[dict[str, Any]] = []
        for item, sign in resolved:
            if sign > 0:
                moves += _move_in(session, item, kind, reference, reason, locked)
            else:
                moves += _move_out(
                    session, item, kind, reference, reason, locked, reservations, guarded=False
                )
        return _announce(session, moves)


def transfer(
    session: Session,
    reference: str,
    line: contracts.StockLine,
    to_warehouse_id: int,
    reason: str = "",
) -> list[contracts.StockMove]:
    """Move stock between warehouses at the average cost (the product's value stays)."""
    target = get_warehouse(session, to_warehouse_id)
    with session.begin_nested():
        moves: list[dict[str, Any]] = []
        for item in resolve(session, [line]):
            if item.warehouse_id == target.id:
                raise Invalid("Choose two different warehouses")
            val = valuation.lock(session, item.product.id)
            cost = valuation.current_cost(val, item.product)
            priced = valuation.Priced(cost, round_rupiah(item.quantity * cost))
            if not _balance_update(
                session,
                item.product,
                item.warehouse_id,
                on_hand=-item.quantity,
                guard=item.quantity,
            ):
                raise _refuse(session, item, item.quantity)
            _balance_update(session, item.product, target.id, on_hand=item.quantity)
            moves += _record(item, "transfer_out", -1, priced, reference, reason)
            arrived = Item(
                item.product, target.id, item.quantity, item.unit, item.unit_quantity, None
            )
            moves += _record(arrived, "transfer_in", 1, priced, reference, reason)
        return _announce(session, moves)
