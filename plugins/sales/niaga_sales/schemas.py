"""Marshmallow schemas of the sales API: what comes in, what goes out."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from niaga.api import Schema
from niaga.fields import AwareDateTime as AwareDateTimeField
from niaga.fields import Date as DateField
from niaga.fields import DateTime as DateTimeField
from niaga.fields import Decimal

V = ma.validate


def Amount(**kwargs: Any) -> Decimal:  # noqa: N802 (a field factory)
    """Money or a quantity as a string (``"12500.00"``): :class:`niaga.fields.Decimal`;
    inputs name the ``places`` their column keeps (2 for money, 4 for quantities)."""
    return Decimal(**kwargs)


class Out(ma.Schema):
    """Base of response schemas (they only dump)."""

    class Meta:
        ordered = True


# --- customers -------------------------------------------------------------------------


class SalesCustomerIn(Schema):
    code = ma.fields.String(validate=V.Length(1, 20))
    shop_name = ma.fields.String(required=True, validate=V.Length(1, 120))
    owner_name = ma.fields.String(validate=V.Length(0, 120))
    phone = ma.fields.String(validate=V.Length(0, 30))
    address = ma.fields.String(validate=V.Length(0, 400))
    area = ma.fields.String(validate=V.Length(0, 80))
    group_id = ma.fields.Integer(allow_none=True)
    credit_limit = Amount(places=2, allow_none=True, validate=V.Range(0))
    payment_terms_days = ma.fields.Integer(validate=V.Range(0, 365))
    user_id = ma.fields.Integer(allow_none=True)
    active = ma.fields.Boolean()
    # the buyer's tax identity: niaga.tax_ids checks it (customers.py) and keeps the digits
    npwp = ma.fields.String(allow_none=True, validate=V.Length(0, 40))
    nik = ma.fields.String(allow_none=True, validate=V.Length(0, 40))
    nitku = ma.fields.String(allow_none=True, validate=V.Length(0, 40))
    tax_name = ma.fields.String(allow_none=True, validate=V.Length(0, 120))
    tax_address = ma.fields.String(allow_none=True, validate=V.Length(0, 400))
    #: the salesperson who looks after the retailer (null: nobody)
    salesperson_id = ma.fields.Integer(allow_none=True)


class SalesCustomerPatch(SalesCustomerIn):
    shop_name = ma.fields.String(validate=V.Length(1, 120))


class SalesCustomerQuery(Schema):
    q = ma.fields.String()
    area = ma.fields.String()
    salesperson_id = ma.fields.Integer()


class SalesCustomerOut(Out):
    id = ma.fields.Integer()
    code = ma.fields.String()
    shop_name = ma.fields.String()
    owner_name = ma.fields.String()
    phone = ma.fields.String()
    address = ma.fields.String()
    area = ma.fields.String()
    group_id = ma.fields.Integer(allow_none=True)
    group = ma.fields.Function(lambda c: c.group.code if c.group else None)
    credit_limit = Amount(allow_none=True)
    payment_terms_days = ma.fields.Integer()
    user_id = ma.fields.Integer(allow_none=True)
    walk_in = ma.fields.Boolean()
    active = ma.fields.Boolean()
    npwp = ma.fields.String(allow_none=True)
    nik = ma.fields.String(allow_none=True)
    nitku = ma.fields.String(allow_none=True)
    tax_name = ma.fields.String(allow_none=True)
    tax_address = ma.fields.String(allow_none=True)
    latitude = Amount(allow_none=True)
    longitude = Amount(allow_none=True)
    salesperson_id = ma.fields.Integer(allow_none=True)


class SalesInvitationIn(Schema):
    """Invite the customer ``customer_id``, or the one with this phone/e-mail (a new one
    named ``shop_name`` when none has it), to set its portal password."""

    customer_id = ma.fields.Integer(allow_none=True)
    phone = ma.fields.String(allow_none=True, validate=V.Length(0, 30))
    email = ma.fields.String(allow_none=True, validate=V.Length(0, 200))
    shop_name = ma.fields.String(allow_none=True, validate=V.Length(0, 120))


class SalesInvitationOut(Out):
    id = ma.fields.Integer()
    customer_id = ma.fields.Integer()
    phone = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)
    expires_at = DateTimeField()
    #: the link to send the retailer; given once, only its hash is kept
    link = ma.fields.String()


class SalesRegistrationQuery(Schema):
    state = ma.fields.String(validate=V.OneOf(["pending", "approved", "rejected"]))


class SalesRegistrationOut(Out):
    id = ma.fields.Integer()
    shop_name = ma.fields.String()
    owner_name = ma.fields.String()
    phone = ma.fields.String()
    email = ma.fields.String(allow_none=True)
    address = ma.fields.String()
    area = ma.fields.String()
    npwp = ma.fields.String(allow_none=True)
    nik = ma.fields.String(allow_none=True)
    latitude = Amount(allow_none=True)
    longitude = Amount(allow_none=True)
    state = ma.fields.String()
    reason = ma.fields.String()
    customer_id = ma.fields.Integer(allow_none=True)
    created_at = DateTimeField()
    decided_at = DateTimeField(allow_none=True)


class SalesRegistrationApprove(Schema):
    #: link to this customer; empty: the one with the same phone/e-mail, else a new one
    customer_id = ma.fields.Integer(allow_none=True)


class SalesRegistrationReject(Schema):
    reason = ma.fields.String(load_default="", validate=V.Length(0, 400))


class SalesAnalysisQuery(Schema):
    start = DateField()
    end = DateField()
    by = ma.fields.String(
        load_default="retailer",
        validate=V.OneOf(
            [
                "retailer",
                "area",
                "salesperson",
                "warehouse",
                "product",
                "category",
                "month",
                "day",
            ]
        ),
    )


class SalesAnalysisRowOut(Out):
    key = ma.fields.String()
    label = ma.fields.String()
    invoiced = Amount()
    returned = Amount()
    sales = Amount()


class SalesAnalysisOut(Out):
    start = DateField()
    end = DateField()
    by = ma.fields.String()
    invoiced = Amount()
    returned = Amount()
    total = Amount()
    rows = ma.fields.List(ma.fields.Nested(SalesAnalysisRowOut))


class SalesBalanceOut(Out):
    customer_id = ma.fields.Integer()
    open = Amount()
    overdue = Amount()
    credit_used = Amount()
    credit_limit = Amount(allow_none=True)
    credit_available = Amount(allow_none=True)


class SalesGroupIn(Schema):
    code = ma.fields.String(required=True, validate=V.Length(1, 20))
    name = ma.fields.String(required=True, validate=V.Length(1, 80))
    price_list_id = ma.fields.Integer(allow_none=True, load_default=None)


class SalesGroupOut(Out):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()
    price_list_id = ma.fields.Integer(allow_none=True)


class SalesPriceItemIn(Schema):
    product_id = ma.fields.Integer(required=True)
    unit = ma.fields.String(required=True, validate=V.Length(1, 20))
    min_quantity = Amount(places=4, load_default=None, validate=V.Range(0, min_inclusive=False))
    price = Amount(places=2, required=True, validate=V.Range(0))


class SalesPriceListIn(Schema):
    name = ma.fields.String(required=True, validate=V.Length(1, 80))
    items = ma.fields.List(ma.fields.Nested(SalesPriceItemIn), load_default=list)


class SalesPriceItemsIn(Schema):
    items = ma.fields.List(ma.fields.Nested(SalesPriceItemIn), required=True)


class SalesPriceItemOut(Out):
    product_id = ma.fields.Integer()
    unit = ma.fields.String()
    min_quantity = Amount()
    price = Amount()


class SalesPriceListOut(Out):
    id = ma.fields.Integer()
    name = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(SalesPriceItemOut))


# --- products as sales sees them ----------------------------------------------------------


class SalesProductQuery(Schema):
    q = ma.fields.String(load_default="")
    customer_id = ma.fields.Integer()
    limit = ma.fields.Integer(load_default=20, validate=V.Range(1, 100))


class SalesProductOut(Out):
    id = ma.fields.Integer()
    sku = ma.fields.String()
    barcode = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    unit = ma.fields.String()
    units = ma.fields.Dict(keys=ma.fields.String(), values=Amount())
    price = Amount()
    available = Amount(allow_none=True)
    breaks = ma.fields.List(ma.fields.Dict())


# --- orders ---------------------------------------------------------------------------


class SalesLineIn(Schema):
    product_id = ma.fields.Integer()
    sku = ma.fields.String()
    barcode = ma.fields.String()
    description = ma.fields.String(validate=V.Length(1, 200))
    quantity = Amount(places=4, required=True, validate=V.Range(0, min_inclusive=False))
    unit = ma.fields.String(validate=V.Length(1, 20))
    unit_price = Amount(places=2, validate=V.Range(0))
    discount_percent = Amount(places=4, validate=V.Range(0, 100))


class SalesPortalLineIn(Schema):
    """A retailer picks products and quantities; prices are the distributor's."""

    product_id = ma.fields.Integer(required=True)
    quantity = Amount(places=4, required=True, validate=V.Range(0, min_inclusive=False))
    unit = ma.fields.String(validate=V.Length(1, 20))


class SalesOrderIn(Schema):
    customer_id = ma.fields.Integer(required=True)
    lines = ma.fields.List(ma.fields.Nested(SalesLineIn), required=True, validate=V.Length(1, 500))
    discount_amount = Amount(places=2, validate=V.Range(0))
    notes = ma.fields.String(validate=V.Length(0, 2000))
    voucher_code = ma.fields.String(validate=V.Length(1, 40))
    order_date = DateField()
    #: inventory's warehouse the goods leave from (default: the default warehouse)
    warehouse_id = ma.fields.Integer(allow_none=True)
    #: who took the order at the retailer's shop
    salesperson_id = ma.fields.Integer(allow_none=True)


class SalesOrderPatch(Schema):
    lines = ma.fields.List(ma.fields.Nested(SalesLineIn), validate=V.Length(1, 500))
    discount_amount = Amount(places=2, validate=V.Range(0))
    notes = ma.fields.String(validate=V.Length(0, 2000))
    voucher_code = ma.fields.String(validate=V.Length(1, 40))
    warehouse_id = ma.fields.Integer(allow_none=True)
    salesperson_id = ma.fields.Integer(allow_none=True)


class SalesPortalOrderIn(Schema):
    lines = ma.fields.List(
        ma.fields.Nested(SalesPortalLineIn), required=True, validate=V.Length(1, 500)
    )
    notes = ma.fields.String(validate=V.Length(0, 2000))
    voucher_code = ma.fields.String(validate=V.Length(1, 40))


class DateRange(Schema):
    """``date_from``/``date_to`` (ISO dates, both included) on a document's own date."""

    date_from = DateField()
    date_to = DateField()


class SalesOrderQuery(DateRange):
    state = ma.fields.String()
    customer_id = ma.fields.Integer()
    salesperson_id = ma.fields.Integer()
    warehouse_id = ma.fields.Integer()


class SalesConfirmIn(Schema):
    approve_over_limit = ma.fields.Boolean(load_default=False)


class SalesLineOut(Out):
    id = ma.fields.Integer()
    position = ma.fields.Integer()
    kind = ma.fields.String()
    product_id = ma.fields.Integer(allow_none=True)
    description = ma.fields.String()
    quantity = Amount()
    unit = ma.fields.String()
    base_quantity = Amount()
    unit_price = Amount()
    discount_percent = Amount()
    discount = Amount()
    net = Amount()
    tax_rate = Amount()
    tax_base = ma.fields.String()
    tax = Amount()
    total = Amount()
    source = ma.fields.String()
    reference = ma.fields.String()


class SalesOrderLineOut(SalesLineOut):
    delivered_base_quantity = Amount()


class SalesDocumentOut(Out):
    id = ma.fields.Integer()
    number = ma.fields.String()
    customer_id = ma.fields.Integer()
    customer = ma.fields.Function(lambda d: d.customer.shop_name)
    subtotal = Amount()
    discount = Amount()
    tax = Amount()
    total = Amount()
    prices_include_tax = ma.fields.Boolean()


class SalesDeliveryLineOut(Out):
    order_line_id = ma.fields.Integer()
    description = ma.fields.Function(lambda d: d.order_line.description)
    quantity = Amount()
    unit = ma.fields.Function(lambda d: d.order_line.unit)
    base_quantity = Amount()


class SalesDeliverySummaryOut(Out):
    id = ma.fields.Integer()
    number = ma.fields.String()
    order_id = ma.fields.Integer()
    order_number = ma.fields.Function(lambda d: d.order.number)
    state = ma.fields.String()
    driver = ma.fields.String()
    vehicle = ma.fields.String()
    notes = ma.fields.String()
    created_at = DateTimeField()
    delivered_at = DateTimeField(allow_none=True)


class SalesDeliveryOut(SalesDeliverySummaryOut):
    lines = ma.fields.List(ma.fields.Nested(SalesDeliveryLineOut))


class SalesInvoiceSummaryOut(Out):
    id = ma.fields.Integer()
    number = ma.fields.String()
    state = ma.fields.String()
    total = Amount()
    open_amount = Amount()
    due_date = DateField()


class SalesOrderOut(SalesDocumentOut):
    state = ma.fields.String()
    order_date = DateField()
    source = ma.fields.String()
    discount_amount = Amount()
    notes = ma.fields.String()
    data = ma.fields.Dict()
    stock_reserved = ma.fields.Boolean()
    warehouse_id = ma.fields.Integer(allow_none=True)
    salesperson_id = ma.fields.Integer(allow_none=True)
    amount_due = ma.fields.Method("get_amount_due")
    lines = ma.fields.List(ma.fields.Nested(SalesOrderLineOut))
    deliveries = ma.fields.List(ma.fields.Nested(SalesDeliverySummaryOut))
    invoices = ma.fields.List(ma.fields.Nested(SalesInvoiceSummaryOut))

    def get_amount_due(self, order: object) -> str:
        from niaga.db import session
        from niaga_sales.invoices import amount_due

        return str(amount_due(session(), f"sales.order:{order.id}"))  # type: ignore[attr-defined]


class SalesDeliveryLineIn(Schema):
    order_line_id = ma.fields.Integer(required=True)
    quantity = Amount(places=4, required=True, validate=V.Range(0, min_inclusive=False))


class SalesDeliveryIn(Schema):
    lines = ma.fields.List(ma.fields.Nested(SalesDeliveryLineIn), validate=V.Length(1, 500))
    driver = ma.fields.String(load_default="", validate=V.Length(0, 80))
    vehicle = ma.fields.String(load_default="", validate=V.Length(0, 40))
    notes = ma.fields.String(load_default="", validate=V.Length(0, 2000))
    deliver = ma.fields.Boolean(load_default=False)


class SalesPaymentOut(Out):
    id = ma.fields.Integer()
    source = ma.fields.String()
    amount = Amount()
    method = ma.fields.String()
    occurred_at = DateTimeField()


class SalesInvoiceOut(SalesDocumentOut):
    state = ma.fields.String()
    order_id = ma.fields.Integer(allow_none=True)
    invoice_date = DateField()
    due_date = DateField()
    paid_amount = Amount()
    credited_amount = Amount()
    open_amount = Amount()
    data = ma.fields.Dict()
    lines = ma.fields.List(ma.fields.Nested(SalesLineOut))


class SalesInvoiceQuery(DateRange):
    state = ma.fields.String(validate=V.OneOf(["open", "paid"]))
    customer_id = ma.fields.Integer()
    #: invoices of orders this salesperson took
    salesperson_id = ma.fields.Integer()


class SalesPaymentIn(Schema):
    amount = Amount(places=2, required=True, validate=V.Range(0, min_inclusive=False))
    method = ma.fields.String(load_default="cash")
    account = ma.fields.String(validate=V.Length(1, 20))


class SalesReturnLineIn(Schema):
    invoice_line_id = ma.fields.Integer(required=True)
    quantity = Amount(places=4, required=True, validate=V.Range(0, min_inclusive=False))


class SalesReturnIn(Schema):
    lines = ma.fields.List(ma.fields.Nested(SalesReturnLineIn), required=True, validate=V.Length(1))
    reason = ma.fields.String(load_default="", validate=V.Length(0, 200))


class SalesCreditNoteOut(SalesDocumentOut):
    invoice_id = ma.fields.Integer()
    note_date = DateField()
    reason = ma.fields.String()
    lines = ma.fields.List(ma.fields.Nested(SalesLineOut))


class SalesAgedOut(Out):
    customer_id = ma.fields.Integer()
    customer = ma.fields.String()
    area = ma.fields.String()
    current = Amount()
    d1_30 = Amount(attribute="1_30", data_key="1_30")
    d31_60 = Amount(attribute="31_60", data_key="31_60")
    d61_90 = Amount(attribute="61_90", data_key="61_90")
    over_90 = Amount()
    total = Amount()
    invoices = ma.fields.Integer()


# --- point of sale ------------------------------------------------------------------------


class SalesOpenSessionIn(Schema):
    opening_cash = Amount(places=2, load_default="0", validate=V.Range(0))
    #: the warehouse the counter sells from (default: the default warehouse)
    warehouse_id = ma.fields.Integer(load_default=None, allow_none=True)


class SalesCloseSessionIn(Schema):
    counted_cash = Amount(places=2, required=True, validate=V.Range(0))


class SalesSessionOut(Out):
    id = ma.fields.Integer()
    cashier_id = ma.fields.Integer()
    state = ma.fields.String()
    warehouse_id = ma.fields.Integer(allow_none=True)
    opened_at = DateTimeField()
    opening_cash = Amount()
    closed_at = DateTimeField(allow_none=True)
    expected_cash = Amount(allow_none=True)
    counted_cash = Amount(allow_none=True)
    difference = Amount(allow_none=True)


class SalesPosSaleIn(Schema):
    client_ref = ma.fields.String(required=True, validate=V.Length(6, 80))
    lines = ma.fields.List(ma.fields.Nested(SalesLineIn), required=True, validate=V.Length(1, 300))
    method = ma.fields.String(load_default="cash")
    received = Amount(places=2, load_default=None, allow_none=True, validate=V.Range(0))
    session_id = ma.fields.Integer(load_default=None, allow_none=True)
    customer_id = ma.fields.Integer(load_default=None, allow_none=True)
    sold_at = AwareDateTimeField(load_default=None, allow_none=True)


class SalesPosSaleOut(Out):
    id = ma.fields.Integer()
    client_ref = ma.fields.String()
    session_id = ma.fields.Integer()
    method = ma.fields.String()
    received = Amount()
    change = Amount()
    sold_at = DateTimeField()
    invoice = ma.fields.Nested(SalesInvoiceOut)


# --- salespeople and targets --------------------------------------------------------------


class SalesSalespersonIn(Schema):
    code = ma.fields.String(required=True, validate=V.Length(1, 20))
    name = ma.fields.String(required=True, validate=V.Length(1, 120))
    phone = ma.fields.String(validate=V.Length(0, 30))
    #: the login that takes orders as this salesperson
    user_id = ma.fields.Integer(allow_none=True)
    active = ma.fields.Boolean()


class SalesSalespersonPatch(SalesSalespersonIn):
    code = ma.fields.String(validate=V.Length(1, 20))
    name = ma.fields.String(validate=V.Length(1, 120))


class SalesSalespersonOut(Out):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()
    phone = ma.fields.String()
    user_id = ma.fields.Integer(allow_none=True)
    active = ma.fields.Boolean()


class SalesTargetIn(Schema):
    """A month (any day of it) and the net sales (before PPN) to reach in it."""

    month = DateField(required=True)
    amount = Amount(places=2, required=True, validate=V.Range(0))


class SalesTargetQuery(Schema):
    month = DateField()


class SalesAchievementOut(Out):
    salesperson_id = ma.fields.Function(lambda a: a.salesperson.id)
    salesperson = ma.fields.Function(lambda a: a.salesperson.name)
    month = DateField()
    target = Amount(allow_none=True)
    achieved = Amount()
    percent = Amount(allow_none=True)
    retailers = ma.fields.Integer()
