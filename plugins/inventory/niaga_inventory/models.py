"""Inventory tables: products and their units, warehouses, the append-only stock move
ledger, and the caches derived from it (balances, reservations, valuation)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from niaga.db import Model, Quantity, TimestampMixin, UnitCost, utcnow

ZERO = Decimal("0")
#: Row ids are 64-bit integers in both databases; larger numbers name nothing.
MAX_ID = 2**63 - 1


def is_row_id(value: int) -> bool:
    """Whether ``value`` can be a row id (an out-of-range id is simply not found)."""
    return 0 < value <= MAX_ID


class Product(TimestampMixin, Model):
    """Something the shop buys and sells. Quantities are kept in ``base_unit``; other units
    convert through :class:`ProductUnit`. ``cost`` is the owner's reference cost, used for
    stock that arrives without a cost until the moving average takes over."""

    __tablename__ = "inventory_product"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(sa.String(64), unique=True)
    barcode: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    category: Mapped[str] = mapped_column(sa.String(80), default="")
    brand: Mapped[str] = mapped_column(sa.String(80), default="")
    active: Mapped[bool] = mapped_column(default=True)
    price: Mapped[Decimal] = mapped_column(default=ZERO)
    cost: Mapped[Decimal] = mapped_column(UnitCost, default=ZERO)
    tax_class: Mapped[str] = mapped_column(sa.String(40), default="standard")
    base_unit: Mapped[str] = mapped_column(sa.String(20), default="pcs")
    sale_unit: Mapped[str | None] = mapped_column(sa.String(20))
    purchase_unit: Mapped[str | None] = mapped_column(sa.String(20))
    track_stock: Mapped[bool] = mapped_column(default=True)
    allow_negative: Mapped[bool] = mapped_column(default=False)
    reorder_point: Mapped[Decimal | None] = mapped_column(Quantity)
    reorder_quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    #: the version of the product's picture (a digest of the upload), part of the
    #: picture's address so a browser may keep it for good; ``None`` when it has none
    picture: Mapped[str | None] = mapped_column(sa.String(32))

    units: Mapped[list[ProductUnit]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductUnit.factor"
    )

    def factors(self) -> dict[str, Decimal]:
        """``{unit: base units per unit}`` for every unit other than the base unit."""
        return {unit.name: unit.factor for unit in self.units}


class ProductUnit(Model):
    """Another unit a product is bought or sold in: ``karton`` = 100 ``bungkus``."""

    __tablename__ = "inventory_product_unit"
    __table_args__ = (sa.UniqueConstraint("product_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_product.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(20))
    factor: Mapped[Decimal] = mapped_column(Quantity)

    product: Mapped[Product] = relationship(back_populates="units")


class ProductPicture(Model):
    """A product's picture, made once when it is uploaded in the sizes the screens show
    (WebP, without the camera's metadata); kept in the database so that every app server
    can send it. The upload itself is not kept."""

    __tablename__ = "inventory_product_picture"
    __audit__ = False  # the product's ``picture`` column records the change

    product_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_product.id"), primary_key=True)
    version: Mapped[str] = mapped_column(sa.String(32))
    filename: Mapped[str] = mapped_column(sa.String(200), default="")
    thumb: Mapped[bytes] = mapped_column(sa.LargeBinary)
    card: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Warehouse(TimestampMixin, Model):
    """A place stock is kept; a shop with one counter has just the default one."""

    __tablename__ = "inventory_warehouse"
    __config__ = True  # niaga.config_version: kept per process (warehouses.get_warehouse)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    active: Mapped[bool] = mapped_column(default=True)
    is_default: Mapped[bool] = mapped_column(default=False)


class StockMove(Model):
    """One change of stock: the only way stock changes, never updated or deleted.

    ``quantity`` is in base units and signed (+ in, - out); ``value`` is signed the same way
    and is what the move adds to (or takes from) the stock value.
    """

    __tablename__ = "inventory_stock_move"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_product.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_warehouse.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[str] = mapped_column(sa.String(20))
    unit_quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_cost: Mapped[Decimal] = mapped_column(UnitCost)
    value: Mapped[Decimal] = mapped_column()
    reference: Mapped[str] = mapped_column(sa.String(80), index=True)
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    actor: Mapped[str] = mapped_column(sa.String(120), default="")


class StockBalance(Model):
    """Cached on-hand and reserved quantity per product and warehouse, kept equal to the
    ledger (``niaga inventory check`` proves it). Changed only by conditional UPDATEs."""

    __tablename__ = "inventory_stock_balance"
    __audit__ = False

    product_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_product.id"), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(
        sa.ForeignKey("inventory_warehouse.id"), primary_key=True
    )
    on_hand: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    reserved: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)


class Reservation(Model):
    """Stock promised to a document (``sales.order:5``); ``quantity`` is what is still
    reserved, ``original`` what was reserved in total."""

    __tablename__ = "inventory_reservation"
    __audit__ = False
    __table_args__ = (sa.UniqueConstraint("reference", "product_id", "warehouse_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(80), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_product.id"))
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_warehouse.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    original: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Valuation(Model):
    """Moving-average valuation per product: total quantity, total value and the average
    unit cost, kept equal to the sum of the ledger's quantities and values."""

    __tablename__ = "inventory_valuation"
    __audit__ = False

    product_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_product.id"), primary_key=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    value: Mapped[Decimal] = mapped_column(default=ZERO)
    unit_cost: Mapped[Decimal] = mapped_column(UnitCost, default=ZERO)


class StockCount(TimestampMixin, Model):
    """A stock opname in one warehouse: open while counting, then posted or cancelled."""

    __tablename__ = "inventory_stock_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_warehouse.id"))
    status: Mapped[str] = mapped_column(sa.String(12), default="open")
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    started_by: Mapped[str] = mapped_column(sa.String(120), default="")
    posted_by: Mapped[str] = mapped_column(sa.String(120), default="")
    posted_at: Mapped[dt.datetime | None] = mapped_column()

    warehouse: Mapped[Warehouse] = relationship()
    lines: Mapped[list[StockCountLine]] = relationship(
        back_populates="count", cascade="all, delete-orphan", order_by="StockCountLine.id"
    )


class StockCountLine(Model):
    """A product in a count: ``expected`` is the on-hand quantity when the count was posted
    (or last reviewed), ``counted`` what was found (``None`` = not counted yet)."""

    __tablename__ = "inventory_stock_count_line"
    __table_args__ = (sa.UniqueConstraint("count_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_stock_count.id"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_product.id"))
    expected: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    counted: Mapped[Decimal | None] = mapped_column(Quantity)
    unit_cost: Mapped[Decimal | None] = mapped_column(UnitCost)
    reason: Mapped[str] = mapped_column(sa.String(200), default="")

    count: Mapped[StockCount] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
