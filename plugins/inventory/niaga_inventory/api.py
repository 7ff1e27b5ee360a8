"""The inventory REST API under ``/api/inventory/``."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Response, current_app, request
from flask.views import MethodView

from niaga import tabular
from niaga.api import Blueprint, Page, file_download, list_query
from niaga.auth import require
from niaga.db import committed, session
from niaga.errors import Invalid
from niaga_inventory import counts, imports, products, reorder, stock, valuation
from niaga_inventory.contracts import StockLine
from niaga_inventory.models import Product, StockMove, Warehouse
from niaga_inventory.schemas import (
    AdjustmentRequest,
    CountEntry,
    CountPost,
    CountQuery,
    CountRequest,
    CountSchema,
    ImportResult,
    MoveQuery,
    MoveRequest,
    MoveSchema,
    ProductQuery,
    ProductSchema,
    ProductStock,
    ReorderNeedSchema,
    ReservationRequest,
    ReservationSchema,
    TransferRequest,
    ValuationSchema,
    WarehouseSchema,
    dump_product_row,
)
from niaga_inventory.warehouses import get_warehouse, list_warehouses, save_warehouse

bp = Blueprint("inventory", __name__, description="Products, stock, counts and valuation")

PRODUCT_SORTS = {
    "name": Product.name,
    "sku": Product.sku,
    "price": Product.price,
    "created_at": Product.created_at,
}


# --- products ------------------------------------------------------------------------------


class ProductPage(Page):
    """A page of :func:`products.search_rows` written as :class:`ProductSchema` would write
    it, from plain rows and their units (two statements, no ORM objects, no marshmallow
    pass). Its items are the finished ``Response``, which flask-smorest's ``response``
    decorator sends as it is (with the ``X-Pagination`` header) instead of dumping it."""

    @property
    def items(self) -> Response:  # type: ignore[override]
        result = self._session.execute(self.page_statement)
        keys = list(result.keys())
        rows = [dict(zip(keys, row, strict=True)) for row in result]  # faster than .mappings()
        factors = products.unit_factors(self._session, [row["id"] for row in rows])
        bodies = [dump_product_row(row, factors.get(row["id"], {})) for row in rows]
        return current_app.json.response(bodies)


@bp.route("/products")
class Products(MethodView):
    @bp.arguments(ProductQuery, location="query")
    @bp.response(200, ProductSchema(many=True))
    @bp.paginate(ProductPage)
    @require("inventory.view")
    def get(self, query: dict[str, Any]) -> Any:
        """Products, searched by name, SKU or barcode."""
        statement = products.search_rows(
            query.get("q", ""), query.get("category"), query.get("active")
        )
        if not query.get("sort"):
            return statement
        return list_query(statement.order_by(None), query, sortable=PRODUCT_SORTS)

    @bp.arguments(ProductSchema)
    @bp.response(201, ProductSchema)
    @require("inventory.edit")
    def post(self, data: dict[str, Any]) -> Any:
        """Create a product."""
        return committed(products.save_product(session(), data))


@bp.route("/products/<int:product_id>")
class ProductItem(MethodView):
    @bp.response(200, ProductSchema)
    @require("inventory.view")
    def get(self, product_id: int) -> Any:
        return products.get_product(session(), product_id)

    @bp.arguments(ProductSchema(partial=True))
    @bp.response(200, ProductSchema)
    @require("inventory.edit")
    def patch(self, data: dict[str, Any], product_id: int) -> Any:
        """Change some fields of a product."""
        product = products.get_product(session(), product_id)
        return committed(products.save_product(session(), data, product))

    @bp.response(204)
    @require("inventory.edit")
    def delete(self, product_id: int) -> None:
        """Delete a product without stock history (others can only be deactivated)."""
        committed(products.delete_product(session(), products.get_product(session(), product_id)))


@bp.route("/products/<int:product_id>/stock")
class ProductStockView(MethodView):
    @bp.response(200, ProductStock)
    @require("inventory.view")
    def get(self, product_id: int) -> Any:
        """Stock of a product per warehouse, with its average cost and value."""
        return product_stock(product_id)


def product_stock(product_id: int) -> dict[str, Any]:
    """On hand, reserved and available per warehouse and in total (used by the admin too)."""
    db = session()
    product = products.get_product(db, product_id)
    names = {w.id: w.name for w in db.scalars(sa.select(Warehouse))}
    rows = [
        {
            "warehouse_id": wid,
            "warehouse": names.get(wid, ""),
            "on_hand": on_hand,
            "reserved": reserved,
            "available": on_hand - reserved,
        }
        for wid, on_hand, reserved in stock.balances(db, product_id)
    ]
    val = valuation.figures(db, product_id)
    return {
        "product_id": product.id,
        "unit": product.base_unit,
        "on_hand": sum((r["on_hand"] for r in rows), 0),
        "reserved": sum((r["reserved"] for r in rows), 0),
        "available": sum((r["available"] for r in rows), 0),
        "unit_cost": val[0],
        "value": val[1],
        "warehouses": rows,
    }


# --- warehouses ----------------------------------------------------------------------------


@bp.route("/warehouses")
class Warehouses(MethodView):
    @bp.response(200, WarehouseSchema(many=True))
    @require("inventory.view")
    def get(self) -> Any:
        return committed(list_warehouses(session()))

    @bp.arguments(WarehouseSchema)
    @bp.response(201, WarehouseSchema)
    @require("inventory.edit")
    def post(self, data: dict[str, Any]) -> Any:
        return committed(save_warehouse(session(), data))


@bp.route("/warehouses/<int:warehouse_id>")
class WarehouseItem(MethodView):
    @bp.arguments(WarehouseSchema(partial=True))
    @bp.response(200, WarehouseSchema)
    @require("inventory.edit")
    def patch(self, data: dict[str, Any], warehouse_id: int) -> Any:
        warehouse = get_warehouse(session(), warehouse_id, active_only=False)
        return committed(save_warehouse(session(), data, warehouse))


# --- moves ---------------------------------------------------------------------------------


@bp.route("/moves")
class Moves(MethodView):
    @bp.arguments(MoveQuery, location="query")
    @bp.response(200, MoveSchema(many=True))
    @bp.paginate(Page)
    @require("inventory.view")
    def get(self, query: dict[str, Any]) -> Any:
        """The stock ledger, newest first."""
        statement = sa.select(StockMove)
        for key in ("product_id", "warehouse_id", "kind", "reference"):
            if key in query:
                statement = statement.where(getattr(StockMove, key) == query[key])
        return list_query(
            statement,
            query,
            sortable={"id": StockMove.id, "occurred_at": StockMove.occurred_at},
            searchable=[StockMove.reference],
            default_sort="-id",
        )


def _lines(data: dict[str, Any]) -> list[StockLine]:
    return [StockLine(**line) for line in data["lines"]]


def _manual_reference(data: dict[str, Any], kind: str) -> str:
    return data.get("reference") or stock.new_reference(kind)


@bp.route("/receipts")
class Receipts(MethodView):
    @bp.arguments(MoveRequest)
    @bp.response(201, MoveSchema(many=True))
    @require("inventory.adjust")
    def post(self, data: dict[str, Any]) -> Any:
        """Put stock in without a purchasing document (kind receipt or return_in)."""
        kind = data.get("kind") or "receipt"
        reference = _manual_reference(data, "receipt")
        moves = stock.receive(session(), reference, _lines(data), kind, data["reason"])
        return committed(moves)


@bp.route("/issues")
class Issues(MethodView):
    @bp.arguments(MoveRequest)
    @bp.response(201, MoveSchema(many=True))
    @require("inventory.adjust")
    def post(self, data: dict[str, Any]) -> Any:
        """Take stock out (kind issue, return_out or gift), using the reference's
        reservations first."""
        kind = data.get("kind") or "issue"
        reference = _manual_reference(data, "issue")
        moves = stock.issue(session(), reference, _lines(data), kind, data["reason"])
        return committed(moves)


@bp.route("/adjustments")
class Adjustments(MethodView):
    @bp.arguments(AdjustmentRequest)
    @bp.response(201, MoveSchema(many=True))
    @require("inventory.adjust")
    def post(self, data: dict[str, Any]) -> Any:
        """Correct stock by a signed quantity, with a reason."""
        quantity = data["quantity"]
        if quantity == 0:
            raise Invalid("The quantity must not be zero", fields={"quantity": ["Zero."]})
        line = StockLine(
            product_id=data["product_id"],
            quantity=abs(quantity),
            unit=data.get("unit"),
            cost=data.get("cost"),
            warehouse_id=data.get("warehouse_id"),
        )
        reference = stock.new_reference("adjustment")
        sign = 1 if quantity > 0 else -1
        return committed(stock.adjust(session(), reference, [(line, sign)], data["reason"]))


@bp.route("/transfers")
class Transfers(MethodView):
    @bp.arguments(TransferRequest)
    @bp.response(201, MoveSchema(many=True))
    @require("inventory.adjust")
    def post(self, data: dict[str, Any]) -> Any:
        """Move stock from one warehouse to another."""
        line = StockLine(
            product_id=data["product_id"],
            quantity=data["quantity"],
            unit=data.get("unit"),
            warehouse_id=data["from_warehouse_id"],
        )
        reference = stock.new_reference("transfer")
        moves = stock.transfer(session(), reference, line, data["to_warehouse_id"], data["reason"])
        return committed(moves)


# --- reservations --------------------------------------------------------------------------


@bp.route("/reservations")
class Reservations(MethodView):
    @bp.arguments(ReservationRequest)
    @bp.response(201, ReservationSchema(many=True))
    @require("inventory.adjust")
    def post(self, data: dict[str, Any]) -> Any:
        """Reserve stock for a reference, all lines or none (409 insufficient_stock)."""
        committed(stock.reserve(session(), data["reference"], _lines(data)))
        return stock.reserved_for(session(), data["reference"])


@bp.route("/reservations/<path:reference>")
class ReservationItem(MethodView):
    @bp.response(200, ReservationSchema(many=True))
    @require("inventory.view")
    def get(self, reference: str) -> Any:
        return stock.reserved_for(session(), reference)

    @bp.response(200, ReservationSchema(many=True))
    @require("inventory.adjust")
    def delete(self, reference: str) -> Any:
        """Release what is still reserved for the reference."""
        committed(stock.release(session(), reference))
        return stock.reserved_for(session(), reference)


# --- counts --------------------------------------------------------------------------------


def count_body(count: Any) -> dict[str, Any]:
    body = {key: getattr(count, key) for key in CountSchema().fields if key != "lines"}
    body["lines"] = counts.review(session(), count)
    return body


@bp.route("/counts")
class Counts(MethodView):
    @bp.arguments(CountQuery, location="query")
    @bp.response(200, CountSchema(many=True, exclude=("lines",)))
    @bp.paginate(Page)
    @require("inventory.count")
    def get(self, query: dict[str, Any]) -> Any:
        """Stock counts, newest first."""
        return counts.list_statement(query.get("status"))

    @bp.arguments(CountRequest)
    @bp.response(201, CountSchema)
    @require("inventory.count")
    def post(self, data: dict[str, Any]) -> Any:
        """Start a stock count (lists every active product unless all_products is false)."""
        count = committed(counts.start(session(), **data))
        return count_body(count)


@bp.route("/counts/<int:count_id>")
class CountItem(MethodView):
    @bp.response(200, CountSchema)
    @require("inventory.count")
    def get(self, count_id: int) -> Any:
        """A count with its lines, the on-hand quantity now and the differences."""
        return count_body(counts.get_count(session(), count_id))


@bp.route("/counts/<int:count_id>/lines")
class CountLines(MethodView):
    @bp.arguments(CountEntry)
    @bp.response(200, CountSchema)
    @require("inventory.count")
    def post(self, data: dict[str, Any], count_id: int) -> Any:
        """Enter a counted quantity (``add`` to sum barcode scans)."""
        quantity = data.pop("quantity")
        committed(counts.enter(session(), count_id, quantity, **data))
        return count_body(counts.get_count(session(), count_id))


@bp.route("/counts/<int:count_id>/post")
class CountPosting(MethodView):
    @bp.arguments(CountPost)
    @bp.response(200, CountSchema)
    @require("inventory.adjust")
    def post(self, data: dict[str, Any], count_id: int) -> Any:
        """Post the differences as adjustment moves."""
        committed(counts.post(session(), count_id, data["reason"]))
        return count_body(counts.get_count(session(), count_id))


@bp.route("/counts/<int:count_id>/cancel")
class CountCancel(MethodView):
    @bp.response(200, CountSchema)
    @require("inventory.count")
    def post(self, count_id: int) -> Any:
        count = committed(counts.cancel(session(), count_id))
        return count_body(count)


# --- reports -------------------------------------------------------------------------------


@bp.route("/valuation")
class ValuationView(MethodView):
    @bp.response(200, ValuationSchema)
    @require("inventory.view")
    def get(self) -> Any:
        """Stock value at moving average cost, per product and in total."""
        return valuation.report(session(), request.args.get("category"))


@bp.route("/low-stock")
class LowStock(MethodView):
    @bp.response(200, ReorderNeedSchema(many=True))
    @require("inventory.view")
    def get(self) -> Any:
        """Products at or below their reorder point, with a suggested order."""
        return reorder.needs(session())


# --- import and export --------------------------------------------------------------------

IMPORTERS = {"products": imports.import_products, "opening-stock": imports.import_opening_stock}
EXPORTERS = {
    "products": (imports.PRODUCT_COLUMNS, imports.export_products),
    "stock": (imports.STOCK_COLUMNS, imports.export_stock),
}


def uploaded() -> tuple[bytes, str]:
    """The uploaded file (form field ``file``) or the raw request body."""
    upload = request.files.get("file")
    if upload is not None:
        return upload.read(), upload.filename or ""
    data = request.get_data()
    if not data:
        raise Invalid("Send a CSV or XLSX file", fields={"file": ["Missing."]})
    return data, ""


@bp.route("/import/<kind>")
class Import(MethodView):
    @bp.response(200, ImportResult)
    @require("inventory.edit")
    def post(self, kind: str) -> Any:
        """Import products or opening stock from CSV or XLSX; all rows or none (422 with
        problems per row and column)."""
        importer = IMPORTERS.get(kind)
        if importer is None:
            raise Invalid("Import products or opening-stock, not {kind}", kind=kind)
        data, filename = uploaded()
        return committed(importer(session(), tabular.read_rows(data, filename)))


@bp.route("/export/<kind>.<fmt>")
class Export(MethodView):
    @bp.doc(responses={"200": file_download(*tabular.MIMETYPES.values())})
    @require("inventory.view")
    def get(self, kind: str, fmt: str) -> Response:
        """Download products or stock as CSV or XLSX."""
        if kind not in EXPORTERS or fmt not in {"csv", "xlsx"}:
            raise Invalid("Export products or stock as csv or xlsx")
        columns, rows = EXPORTERS[kind]
        body = tabular.write_rows(columns, rows(session()), fmt)
        mimetype = tabular.MIMETYPES[fmt]
        return Response(
            body,
            mimetype=mimetype,
            headers={"Content-Disposition": f"attachment; filename=inventory-{kind}.{fmt}"},
        )
