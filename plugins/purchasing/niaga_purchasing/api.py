"""REST API under ``/api/purchasing/``: suppliers, orders, receipts, bills, payments,
returns, payables and reorder suggestions. Views are thin: each runs one domain function
in one transaction (rolled back whole on any error)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask.views import MethodView

from niaga.api import Blueprint, ListQuery, Page, Schema, list_query
from niaga.auth import require
from niaga.clock import shop_today
from niaga.db import committed, session
from niaga.fields import Date as DateField
from niaga.fields import Decimal as DecimalField
from niaga_purchasing import (
    bills,
    orders,
    payables,
    payments,
    receipts,
    reorders,
    returns,
    suppliers,
)
from niaga_purchasing.documents import warning_texts
from niaga_purchasing.models import (
    Bill,
    PurchaseOrder,
    Receipt,
    Supplier,
    SupplierPayment,
    SupplierReturn,
)

bp = Blueprint(
    "purchasing", __name__, description="Purchasing: suppliers, orders, receipts, bills, payments"
)

Dec = DecimalField
Positive = ma.validate.Range(min=0, min_inclusive=False)


def money(places: int = 2) -> ma.fields.Decimal:
    """A read-only amount, sent as a string with ``places`` decimals (4 for quantities,
    unit prices and rates)."""
    return Dec(as_string=True, dump_only=True, places=places)


# --- schemas ---------------------------------------------------------------------------


def _email_or_empty(value: str) -> str:
    return value if value == "" else ma.validate.Email()(value)


class SupplierPriceSchema(Schema):
    product_id = ma.fields.Integer(required=True)
    unit = ma.fields.String(validate=ma.validate.Length(0, 20), load_default=None)
    price = Dec(as_string=True, required=True, validate=ma.validate.Range(min=0))
    preferred = ma.fields.Boolean(load_default=False)


class SupplierSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    code = ma.fields.String(validate=ma.validate.Length(0, 30))
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 150))
    contact_person = ma.fields.String(validate=ma.validate.Length(0, 120))
    phone = ma.fields.String(validate=ma.validate.Length(0, 30))
    email = ma.fields.String(
        validate=[ma.validate.Length(0, 200), _email_or_empty],
        metadata={"description": "an e-mail address, or empty"},
    )
    address = ma.fields.String(validate=ma.validate.Length(0, 1000))
    city = ma.fields.String(validate=ma.validate.Length(0, 80))
    npwp = ma.fields.String(allow_none=True, metadata={"description": "15 or 16 digits"})
    npwp_formatted = ma.fields.Function(lambda s: suppliers.format_npwp(s.npwp), dump_only=True)
    pkp = ma.fields.Boolean(metadata={"description": "VAT-registered: bills carry PPN"})
    payment_terms_days = ma.fields.Integer(validate=ma.validate.Range(0, 365))
    notes = ma.fields.String(validate=ma.validate.Length(0, 2000))
    active = ma.fields.Boolean()
    prices = ma.fields.List(ma.fields.Nested(SupplierPriceSchema), dump_only=True)


class SupplierUpdateSchema(SupplierSchema):
    name = ma.fields.String(validate=ma.validate.Length(1, 150))


class PurchaseLineInSchema(Schema):
    product_id = ma.fields.Integer(allow_none=True)
    sku = ma.fields.String(validate=ma.validate.Length(1, 60))
    description = ma.fields.String(validate=ma.validate.Length(0, 200))
    quantity = Dec(required=True, validate=Positive, places=4)
    unit = ma.fields.String(validate=ma.validate.Length(1, 20))
    unit_price = Dec(validate=ma.validate.Range(min=0))
    discount_percent = Dec(validate=ma.validate.Range(0, 100))
    tax_rate = Dec(validate=ma.validate.Range(0, 1))
    tax_base = ma.fields.String(validate=ma.validate.Length(1, 16))


class PurchaseLineOutSchema(Schema):
    id = ma.fields.Integer()
    product_id = ma.fields.Integer(allow_none=True)
    description = ma.fields.String()
    quantity = money(4)
    unit = ma.fields.String()
    unit_factor = money(4)
    unit_price = money(4)
    discount_percent = money(4)
    discount = money()
    tax_rate = money(4)
    tax_base = ma.fields.String()
    net = money()
    tax = money()
    total = money()


class OrderLineOutSchema(PurchaseLineOutSchema):
    received_quantity = money(4)


class DocumentFields(Schema):
    supplier_id = ma.fields.Integer()
    supplier_name = ma.fields.Function(lambda d: d.supplier.name)
    subtotal = money()
    discount = money()
    tax = money()
    total = money()


class OrderSchema(DocumentFields):
    id = ma.fields.Integer()
    number = ma.fields.String()
    status = ma.fields.String()
    order_date = DateField()
    expected_date = DateField(allow_none=True)
    warehouse_id = ma.fields.Integer(allow_none=True)
    notes = ma.fields.String()
    source = ma.fields.String()
    lines = ma.fields.List(ma.fields.Nested(OrderLineOutSchema))


class OrderCreateSchema(Schema):
    supplier_id = ma.fields.Integer(required=True)
    order_date = DateField()
    expected_date = DateField(allow_none=True)
    warehouse_id = ma.fields.Integer(allow_none=True)
    notes = ma.fields.String(validate=ma.validate.Length(0, 2000))
    lines = ma.fields.List(
        ma.fields.Nested(PurchaseLineInSchema), required=True, validate=ma.validate.Length(1, 500)
    )


class OrderUpdateSchema(OrderCreateSchema):
    supplier_id = ma.fields.Integer(dump_only=True)
    order_date = DateField(dump_only=True)
    lines = ma.fields.List(
        ma.fields.Nested(PurchaseLineInSchema), validate=ma.validate.Length(1, 500)
    )


class OrderQuery(ListQuery):
    status = ma.fields.String(validate=ma.validate.OneOf(orders.STATUSES))
    supplier_id = ma.fields.Integer()


class ReceiptLineInSchema(Schema):
    order_line_id = ma.fields.Integer()
    product_id = ma.fields.Integer(allow_none=True)
    sku = ma.fields.String(validate=ma.validate.Length(1, 60))
    description = ma.fields.String(validate=ma.validate.Length(0, 200))
    quantity = Dec(required=True, validate=Positive, places=4)
    unit = ma.fields.String(validate=ma.validate.Length(1, 20))
    unit_cost = Dec(validate=ma.validate.Range(min=0), metadata={"description": "per unit"})


class ReceiptCreateSchema(Schema):
    order_id = ma.fields.Integer()
    supplier_id = ma.fields.Integer()
    warehouse_id = ma.fields.Integer(allow_none=True)
    received_date = DateField()
    notes = ma.fields.String(validate=ma.validate.Length(0, 2000))
    allow_over_receipt = ma.fields.Boolean(
        load_default=False, metadata={"description": "accept more than ordered"}
    )
    lines = ma.fields.List(
        ma.fields.Nested(ReceiptLineInSchema), required=True, validate=ma.validate.Length(1, 500)
    )


class ReceiptLineOutSchema(Schema):
    id = ma.fields.Integer()
    order_line_id = ma.fields.Integer(allow_none=True)
    product_id = ma.fields.Integer(allow_none=True)
    description = ma.fields.String()
    quantity = money(4)
    unit = ma.fields.String()
    unit_factor = money(4)
    unit_cost = money(4)
    value = money()
    billed_quantity = money(4)


class ReceiptSchema(Schema):
    id = ma.fields.Integer()
    number = ma.fields.String()
    supplier_id = ma.fields.Integer()
    supplier_name = ma.fields.Function(lambda r: r.supplier.name)
    order_id = ma.fields.Integer(allow_none=True)
    warehouse_id = ma.fields.Integer(allow_none=True)
    received_date = DateField()
    notes = ma.fields.String()
    stock_tracked = ma.fields.Boolean()
    value = money()
    lines = ma.fields.List(ma.fields.Nested(ReceiptLineOutSchema))


class ReceiptQuery(ListQuery):
    order_id = ma.fields.Integer()
    supplier_id = ma.fields.Integer()
    unbilled = ma.fields.Boolean()


class BillLineInSchema(Schema):
    receipt_line_id = ma.fields.Integer(required=True)
    quantity = Dec(validate=Positive, places=4)
    unit_price = Dec(validate=ma.validate.Range(min=0))
    discount_percent = Dec(validate=ma.validate.Range(0, 100))
    tax_rate = Dec(validate=ma.validate.Range(0, 1))
    tax_base = ma.fields.String(validate=ma.validate.Length(1, 16))


class BillCreateSchema(Schema):
    receipt_ids = ma.fields.List(ma.fields.Integer(), validate=ma.validate.Length(1, 100))
    order_id = ma.fields.Integer()
    supplier_reference = ma.fields.String(validate=ma.validate.Length(0, 60))
    tax_invoice_number = ma.fields.String(
        validate=ma.validate.Length(0, 40),
        metadata={"description": "the supplier's Faktur Pajak number (17 digits)"},
    )
    tax_invoice_date = DateField()
    bill_date = DateField()
    due_date = DateField()
    notes = ma.fields.String(validate=ma.validate.Length(0, 2000))
    post = ma.fields.Boolean(load_default=False, metadata={"description": "post at once"})
    lines = ma.fields.List(ma.fields.Nested(BillLineInSchema))


class BillLineOutSchema(PurchaseLineOutSchema):
    receipt_line_id = ma.fields.Integer(allow_none=True)
    returned_quantity = money(4)


class BillSchema(DocumentFields):
    id = ma.fields.Integer()
    number = ma.fields.String()
    supplier_reference = ma.fields.String()
    tax_invoice_number = ma.fields.String()
    tax_invoice_date = DateField(allow_none=True)
    status = ma.fields.String()
    bill_date = DateField()
    due_date = DateField()
    amount_paid = money()
    amount_returned = money()
    amount_open = money()
    warnings = ma.fields.Function(lambda b: warning_texts(b))
    notes = ma.fields.String()
    lines = ma.fields.List(ma.fields.Nested(BillLineOutSchema))


class BillQuery(ListQuery):
    status = ma.fields.String(
        validate=ma.validate.OneOf(("draft", "posted", "partially_paid", "paid"))
    )
    supplier_id = ma.fields.Integer()


class SupplierPaymentCreateSchema(Schema):
    amount = Dec(required=True, validate=Positive)
    method = ma.fields.String(
        load_default="bank_transfer", validate=ma.validate.OneOf(payments.METHODS)
    )
    account = ma.fields.String(
        validate=ma.validate.Regexp(r"^[0-9][0-9.\-]{1,19}$"),
        metadata={"description": "cash/bank account code, e.g. 1-1100 or 1-1200"},
    )
    paid_date = DateField()
    reference = ma.fields.String(validate=ma.validate.Length(0, 80))


class SupplierPaymentSchema(Schema):
    id = ma.fields.Integer()
    number = ma.fields.String()
    bill_id = ma.fields.Integer()
    supplier_id = ma.fields.Integer()
    amount = money()
    method = ma.fields.String()
    account = ma.fields.String()
    paid_date = DateField()
    reference = ma.fields.String()


class ReturnLineInSchema(Schema):
    bill_line_id = ma.fields.Integer(required=True)
    quantity = Dec(required=True, validate=Positive, places=4)


class ReturnCreateSchema(Schema):
    bill_id = ma.fields.Integer(required=True)
    warehouse_id = ma.fields.Integer(allow_none=True)
    return_date = DateField()
    reason = ma.fields.String(validate=ma.validate.Length(0, 200))
    lines = ma.fields.List(
        ma.fields.Nested(ReturnLineInSchema), required=True, validate=ma.validate.Length(1, 500)
    )


class ReturnLineOutSchema(Schema):
    id = ma.fields.Integer()
    bill_line_id = ma.fields.Integer()
    product_id = ma.fields.Integer(allow_none=True)
    description = ma.fields.String()
    quantity = money(4)
    unit = ma.fields.String()
    unit_price = money(4)
    discount = money()
    net = money()
    tax = money()
    total = money()


class ReturnSchema(DocumentFields):
    id = ma.fields.Integer()
    number = ma.fields.String()
    bill_id = ma.fields.Integer()
    warehouse_id = ma.fields.Integer(allow_none=True)
    return_date = DateField()
    reason = ma.fields.String()
    stock_tracked = ma.fields.Boolean()
    lines = ma.fields.List(ma.fields.Nested(ReturnLineOutSchema))


class SupplierPayableSchema(Schema):
    supplier_id = ma.fields.Integer()
    supplier = ma.fields.String()
    bills = ma.fields.Integer()
    owed = money()
    overdue = money()
    buckets = ma.fields.Dict(keys=ma.fields.String(), values=Dec(as_string=True))


class PayablesTotalSchema(Schema):
    bills = ma.fields.Integer()
    owed = money()
    overdue = money()
    buckets = ma.fields.Dict(keys=ma.fields.String(), values=Dec(as_string=True))


class PayablesSchema(Schema):
    as_of = DateField()
    suppliers = ma.fields.List(ma.fields.Nested(SupplierPayableSchema))
    total = ma.fields.Nested(PayablesTotalSchema)


class PayablesQuery(Schema):
    as_of = DateField()


class SuggestionSchema(Schema):
    product_id = ma.fields.Function(lambda s: s.need.product_id)
    sku = ma.fields.Function(lambda s: s.need.sku)
    name = ma.fields.Function(lambda s: s.need.name)
    available = ma.fields.Function(lambda s: str(s.need.available))
    reorder_point = ma.fields.Function(lambda s: str(s.need.reorder_point))
    suggested_quantity = ma.fields.Function(lambda s: str(s.need.suggested_quantity))
    unit = ma.fields.Function(lambda s: s.need.unit)
    supplier_id = ma.fields.Function(lambda s: s.supplier.id if s.supplier else None)
    supplier_name = ma.fields.Function(lambda s: s.supplier.name if s.supplier else None)


class ReorderCreateSchema(Schema):
    product_ids = ma.fields.List(ma.fields.Integer(), allow_none=True, load_default=None)


class ReorderResultSchema(Schema):
    orders = ma.fields.List(ma.fields.Nested(OrderSchema))
    unassigned = ma.fields.List(ma.fields.Dict())


# --- suppliers -------------------------------------------------------------------------


@bp.route("/suppliers")
class Suppliers(MethodView):
    @bp.arguments(ListQuery, location="query")
    @bp.response(200, SupplierSchema(many=True))
    @bp.paginate(Page)
    @require("purchasing.view")
    def get(self, query: dict[str, Any]) -> Any:
        """Suppliers; ``q`` searches code, name, city and NPWP."""
        return list_query(
            sa.select(Supplier),
            query,
            sortable={"id": Supplier.id, "name": Supplier.name, "code": Supplier.code},
            searchable=[Supplier.code, Supplier.name, Supplier.city, Supplier.npwp],
            default_sort="name",
        )

    @bp.arguments(SupplierSchema)
    @bp.response(201, SupplierSchema)
    @require("purchasing.edit")
    def post(self, data: dict[str, Any]) -> Any:
        """Add a supplier (NPWP checked: 15 or 16 digits)."""
        return committed(suppliers.create_supplier(session(), data))


@bp.route("/suppliers/<int:supplier_id>")
class SupplierItem(MethodView):
    @bp.response(200, SupplierSchema)
    @require("purchasing.view")
    def get(self, supplier_id: int) -> Any:
        return suppliers.get_supplier(session(), supplier_id)

    @bp.arguments(SupplierUpdateSchema)
    @bp.response(200, SupplierSchema)
    @require("purchasing.edit")
    def patch(self, data: dict[str, Any], supplier_id: int) -> Any:
        """Change a supplier's details."""
        return committed(
            suppliers.update_supplier(
                session(), suppliers.get_supplier(session(), supplier_id), data
            )
        )


@bp.route("/suppliers/<int:supplier_id>/prices")
class SupplierPrices(MethodView):
    @bp.arguments(SupplierPriceSchema)
    @bp.response(200, SupplierPriceSchema)
    @require("purchasing.edit")
    def put(self, data: dict[str, Any], supplier_id: int) -> Any:
        """Set the supplier's usual price for a product (``preferred``: its default supplier)."""
        return committed(
            suppliers.set_price(
                session(),
                suppliers.get_supplier(session(), supplier_id),
                data["product_id"],
                data["price"],
                data.get("unit"),
                data["preferred"],
            )
        )


# --- orders ----------------------------------------------------------------------------


@bp.route("/orders")
class Orders(MethodView):
    @bp.arguments(OrderQuery, location="query")
    @bp.response(200, OrderSchema(many=True))
    @bp.paginate(Page)
    @require("purchasing.view")
    def get(self, query: dict[str, Any]) -> Any:
        """Purchase orders, newest first; filter by ``status`` or ``supplier_id``."""
        statement = orders.orders_query(query.get("status"), query.get("supplier_id"))
        return list_query(
            statement.order_by(None),
            query,
            sortable={
                "id": PurchaseOrder.id,
                "number": PurchaseOrder.number,
                "order_date": PurchaseOrder.order_date,
            },
            searchable=[PurchaseOrder.number],
            default_sort="-id",
        )

    @bp.arguments(OrderCreateSchema)
    @bp.response(201, OrderSchema)
    @require("purchasing.edit")
    def post(self, data: dict[str, Any]) -> Any:
        """Create a draft order; prices default to the supplier's usual prices."""
        return committed(orders.create_order(session(), data))


@bp.route("/orders/<int:order_id>")
class OrderItem(MethodView):
    @bp.response(200, OrderSchema)
    @require("purchasing.view")
    def get(self, order_id: int) -> Any:
        return orders.get_order(session(), order_id)

    @bp.arguments(OrderUpdateSchema)
    @bp.response(200, OrderSchema)
    @require("purchasing.edit")
    def patch(self, data: dict[str, Any], order_id: int) -> Any:
        """Change a draft order."""
        return committed(
            orders.update_order(session(), orders.get_order(session(), order_id, lock=True), data)
        )


@bp.route("/orders/<int:order_id>/<any(send, confirm, cancel):action>")
class OrderAction(MethodView):
    @bp.response(200, OrderSchema)
    @require("purchasing.edit")
    def post(self, order_id: int, action: str) -> Any:
        """``send``, ``confirm`` or ``cancel`` (refused once goods were received)."""
        return committed(
            orders.transition(session(), orders.get_order(session(), order_id, lock=True), action)
        )


# --- receipts --------------------------------------------------------------------------


@bp.route("/receipts")
class Receipts(MethodView):
    @bp.arguments(ReceiptQuery, location="query")
    @bp.response(200, ReceiptSchema(many=True))
    @bp.paginate(Page)
    @require("purchasing.view")
    def get(self, query: dict[str, Any]) -> Any:
        """Goods receipts, newest first."""
        statement = receipts.receipts_query(
            query.get("order_id"), query.get("supplier_id"), query.get("unbilled", False)
        )
        return list_query(
            statement.order_by(None),
            query,
            sortable={"id": Receipt.id, "received_date": Receipt.received_date},
            searchable=[Receipt.number],
            default_sort="-id",
        )

    @bp.arguments(ReceiptCreateSchema)
    @bp.response(201, ReceiptSchema)
    @require("purchasing.receive")
    def post(self, data: dict[str, Any]) -> Any:
        """Receive goods against an order (``order_id``) or without one (``supplier_id``)."""
        return committed(receipts.receive(session(), data))


@bp.route("/receipts/<int:receipt_id>")
class ReceiptItem(MethodView):
    @bp.response(200, ReceiptSchema)
    @require("purchasing.view")
    def get(self, receipt_id: int) -> Any:
        return receipts.get_receipt(session(), receipt_id)


# --- bills and payments ----------------------------------------------------------------


@bp.route("/bills")
class Bills(MethodView):
    @bp.arguments(BillQuery, location="query")
    @bp.response(200, BillSchema(many=True))
    @bp.paginate(Page)
    @require("purchasing.view")
    def get(self, query: dict[str, Any]) -> Any:
        """Supplier bills, newest first."""
        statement = bills.bills_query(query.get("status"), query.get("supplier_id"))
        return list_query(
            statement.order_by(None),
            query,
            sortable={"id": Bill.id, "due_date": Bill.due_date},
            searchable=[Bill.number, Bill.supplier_reference],
            default_sort="-id",
        )

    @bp.arguments(BillCreateSchema)
    @bp.response(201, BillSchema)
    @require("purchasing.edit")
    def post(self, data: dict[str, Any]) -> Any:
        """Bill received goods (three-way check warnings are listed on the bill)."""
        return committed(bills.create_bill(session(), data))


@bp.route("/bills/<int:bill_id>")
class BillItem(MethodView):
    @bp.response(200, BillSchema)
    @require("purchasing.view")
    def get(self, bill_id: int) -> Any:
        return bills.get_bill(session(), bill_id)

    @bp.response(204)
    @require("purchasing.edit")
    def delete(self, bill_id: int) -> None:
        """Delete a draft bill (its goods can be billed again)."""
        committed(bills.delete_draft(session(), bills.get_bill(session(), bill_id, lock=True)))


@bp.route("/bills/<int:bill_id>/post")
class BillPost(MethodView):
    @bp.response(200, BillSchema)
    @require("purchasing.edit")
    def post(self, bill_id: int) -> Any:
        """Post a draft bill: it becomes a payable."""
        return committed(bills.post_bill(session(), bills.get_bill(session(), bill_id, lock=True)))


class BillTaxInvoiceSchema(Schema):
    tax_invoice_number = ma.fields.String(
        required=True,
        validate=ma.validate.Length(0, 40),
        metadata={"description": "17 digits; empty clears it"},
    )
    tax_invoice_date = DateField(allow_none=True, load_default=None)


@bp.route("/bills/<int:bill_id>/tax-invoice")
class BillTaxInvoice(MethodView):
    @bp.arguments(BillTaxInvoiceSchema)
    @bp.response(200, BillSchema)
    @require("purchasing.edit")
    def put(self, data: dict[str, Any], bill_id: int) -> Any:
        """Record the supplier's Faktur Pajak (number and date) of a bill: its PPN becomes
        creditable input tax (PPN Masukan)."""
        return committed(
            bills.record_tax_invoice(
                session(),
                bills.get_bill(session(), bill_id, lock=True),
                data["tax_invoice_number"],
                data["tax_invoice_date"],
            )
        )


@bp.route("/bills/<int:bill_id>/payments")
class BillPayments(MethodView):
    @bp.response(200, SupplierPaymentSchema(many=True))
    @require("purchasing.view")
    def get(self, bill_id: int) -> Any:
        return session().scalars(payments.payments_query(bill_id=bill_id)).all()

    @bp.arguments(SupplierPaymentCreateSchema)
    @bp.response(201, SupplierPaymentSchema)
    @require("purchasing.pay")
    def post(self, data: dict[str, Any], bill_id: int) -> Any:
        """Pay (part of) a bill; more than is owed is refused."""
        return committed(payments.pay_bill(session(), bill_id, data))


@bp.route("/bills/<int:bill_id>/refunds")
class BillRefunds(MethodView):
    @bp.arguments(SupplierPaymentCreateSchema)
    @bp.response(201, SupplierPaymentSchema)
    @require("purchasing.pay")
    def post(self, data: dict[str, Any], bill_id: int) -> Any:
        """Record money the supplier paid back on a bill it owes on (a return after the bill
        was paid); stored as a negative payment. More than the supplier owes is refused."""
        return committed(payments.receive_refund(session(), bill_id, data))


@bp.route("/payments")
class Payments(MethodView):
    @bp.arguments(ListQuery, location="query")
    @bp.response(200, SupplierPaymentSchema(many=True))
    @bp.paginate(Page)
    @require("purchasing.view")
    def get(self, query: dict[str, Any]) -> Any:
        """Supplier payments, newest first."""
        model = SupplierPayment
        return list_query(
            sa.select(model),
            query,
            sortable={"id": model.id, "paid_date": model.paid_date},
            searchable=[model.number, model.reference],
            default_sort="-id",
        )


# --- returns ---------------------------------------------------------------------------


@bp.route("/returns")
class Returns(MethodView):
    @bp.arguments(ListQuery, location="query")
    @bp.response(200, ReturnSchema(many=True))
    @bp.paginate(Page)
    @require("purchasing.view")
    def get(self, query: dict[str, Any]) -> Any:
        model = SupplierReturn
        return list_query(
            sa.select(model),
            query,
            sortable={"id": model.id},
            searchable=[model.number],
            default_sort="-id",
        )

    @bp.arguments(ReturnCreateSchema)
    @bp.response(201, ReturnSchema)
    @require("purchasing.edit")
    def post(self, data: dict[str, Any]) -> Any:
        """Send billed goods back: stock out and a debit note against the bill."""
        return committed(returns.return_goods(session(), data["bill_id"], data))


@bp.route("/returns/<int:return_id>")
class ReturnItem(MethodView):
    @bp.response(200, ReturnSchema)
    @require("purchasing.view")
    def get(self, return_id: int) -> Any:
        return returns.get_return(session(), return_id)


# --- payables and reorders ---------------------------------------------------------------


@bp.route("/payables")
class Payables(MethodView):
    @bp.arguments(PayablesQuery, location="query")
    @bp.response(200, PayablesSchema)
    @require("purchasing.view")
    def get(self, query: dict[str, Any]) -> Any:
        """What is owed per supplier, aged 0-30, 31-60, 61-90 and over 90 days."""
        as_of = query.get("as_of") or shop_today(session())
        rows = payables.aged_payables(session(), as_of)
        return {"as_of": as_of, "suppliers": rows, "total": payables.totals(rows)}


@bp.route("/reorders")
class Reorders(MethodView):
    @bp.response(200, SuggestionSchema(many=True))
    @require("purchasing.view")
    def get(self) -> Any:
        """Products at or below their reorder point, with their default supplier."""
        return reorders.suggestions(session())

    @bp.arguments(ReorderCreateSchema)
    @bp.response(201, ReorderResultSchema)
    @require("purchasing.edit")
    def post(self, data: dict[str, Any]) -> Any:
        """Turn suggestions into draft orders, one per default supplier."""
        created, unassigned = committed(
            reorders.create_draft_orders(session(), data.get("product_ids"))
        )
        return {
            "orders": created,
            "unassigned": [
                {"product_id": n.product_id, "sku": n.sku, "name": n.name} for n in unassigned
            ],
        }
