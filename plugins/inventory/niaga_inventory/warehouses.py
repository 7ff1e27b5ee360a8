"""Warehouses: the default one appears by itself, so a one-counter shop needs no setup."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.db import adopt, column_attributes, detached
from niaga.errors import Invalid, NotFound
from niaga.runtime import shared
from niaga_inventory.models import Warehouse, is_row_id
from niaga_inventory.upsert import insert_missing

DEFAULT_CODE = "UTAMA"
DEFAULT_NAME = "Gudang Utama"


def default_warehouse(session: Session) -> Warehouse:
    """The default warehouse, created on first use (safely when two requests race)."""
    for known in _known(session).values():
        if known.is_default:
            return adopt(session, known)
    insert_missing(session, Warehouse, code=DEFAULT_CODE, name=DEFAULT_NAME, is_default=True)
    found = session.scalar(sa.select(Warehouse).where(Warehouse.code == DEFAULT_CODE))
    assert found is not None
    if not found.is_default:
        found.is_default = True
        session.flush()
    return found


def get_warehouse(
    session: Session, warehouse_id: int | None, *, active_only: bool = True
) -> Warehouse:
    """Warehouse ``warehouse_id`` (the default one when None), active unless told."""
    if warehouse_id is None:
        return default_warehouse(session)
    known = _known(session).get(warehouse_id) if is_row_id(warehouse_id) else None
    warehouse = adopt(session, known) if known is not None else None
    if warehouse is None:
        raise NotFound("Warehouse {id} does not exist", id=warehouse_id)
    if active_only and not warehouse.active:
        raise Invalid("Warehouse {name} is not active", name=warehouse.name)
    return warehouse


def _known(session: Session) -> dict[int, Warehouse]:
    """Every warehouse by id, as copies no session owns, kept per process while none
    changes (:func:`niaga.runtime.shared`; migration 0004 watches the table)."""
    return shared(session, "inventory_warehouses", _load_warehouses)


def _load_warehouses(session: Session) -> dict[int, Warehouse]:
    rows = session.execute(sa.select(*column_attributes(Warehouse)))
    return {warehouse.id: warehouse for warehouse in (detached(Warehouse, r) for r in rows)}


def find_by_code(session: Session, code: str) -> Warehouse | None:
    return session.scalar(sa.select(Warehouse).where(Warehouse.code == code.strip().upper()))


def list_warehouses(session: Session) -> list[Warehouse]:
    """Every warehouse, the default first (created if there is none yet)."""
    default_warehouse(session)
    return list(
        session.scalars(sa.select(Warehouse).order_by(Warehouse.is_default.desc(), Warehouse.code))
    )


def save_warehouse(
    session: Session, data: dict[str, Any], warehouse: Warehouse | None = None
) -> Warehouse:
    """Create or change a warehouse; making one the default unmarks the previous one."""
    target = warehouse or Warehouse()
    if "code" in data:
        code = data["code"].strip().upper()
        clash = find_by_code(session, code)
        if not code or clash is not None and clash is not target:
            raise Invalid(
                "Warehouse code {warehouse_code} is empty or already used",
                code="warehouse_code_taken",
                warehouse_code=code,
                fields={"code": ["Already used or empty."]},
            )
        target.code = code
    for key in ("name", "active"):
        if key in data:
            setattr(target, key, data[key])
    if warehouse is None:
        session.add(target)
    if data.get("is_default"):
        if not target.active:
            raise Invalid("An inactive warehouse cannot be the default")
        session.execute(sa.update(Warehouse).values(is_default=False))
        target.is_default = True
    elif target.is_default and data.get("active") is False:
        raise Invalid("The default warehouse cannot be deactivated")
    session.flush()
    return target


def warehouse_infos(session: Session) -> list[Any]:
    """:func:`list_warehouses` as :class:`~niaga_inventory.contracts.WarehouseInfo` (the
    ``inventory_warehouses`` hook's answer)."""
    from niaga_inventory.contracts import WarehouseInfo

    found = sorted(_known(session).values(), key=lambda w: (not w.is_default, w.code))
    if not any(w.is_default for w in found):  # only before the first use
        found = list_warehouses(session)
    return [WarehouseInfo(w.id, w.code, w.name, bool(w.is_default), bool(w.active)) for w in found]
