"""REST API under ``/api/sales/``: customers, price lists, orders, deliveries, invoices,
returns, receivables, the point of sale and the retailer's own endpoints (``/my/...``).

Views stay thin: they parse, call the domain modules, commit, and dump.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask.views import MethodView

from niaga.api import Blueprint, Page
from niaga.auth import caller, check, require
from niaga.db import committed, session
from niaga.errors import NotFound
from niaga_sales import (
    analysis,
    catalogue,
    customers,
    deliveries,
    invoices,
    onboarding,
    orders,
    pos,
    receivables,
    salespeople,
)
from niaga_sales import returns as sales_returns
from niaga_sales import schemas as s
from niaga_sales.models import (
    CreditNote,
    Customer,
    CustomerGroup,
    Delivery,
    Invoice,
    Order,
    PosSale,
    PosSession,
    PriceList,
    Registration,
    Salesperson,
)

bp = Blueprint("sales", __name__, description="Orders, deliveries, invoices, returns, POS")


def _user_id() -> int:
    who = caller()
    assert who is not None
    return who.user.id


def _get(model: Any, ident: int, label: str) -> Any:
    found = session().get(model, ident)
    if found is None:
        raise NotFound("{label} {id} not found", label=label, id=ident)
    return found


# --- customers, groups, price lists ------------------------------------------------------


@bp.route("/customers")
class Customers(MethodView):
    @bp.arguments(s.SalesCustomerQuery, location="query")
    @bp.response(200, s.SalesCustomerOut(many=True))
    @bp.paginate(Page)
    @require("sales.view")
    def get(self, query: dict[str, Any]) -> Any:
        statement = sa.select(Customer).order_by(Customer.shop_name, Customer.id)
        if query.get("q"):
            like = f"%{query['q'].lower()}%"
            statement = statement.where(
                sa.or_(
                    sa.func.lower(Customer.shop_name).like(like),
                    sa.func.lower(Customer.owner_name).like(like),
                    Customer.phone.like(like),
                    sa.func.lower(Customer.code).like(like),
                )
            )
        if query.get("area"):
            statement = statement.where(Customer.area == query["area"])
        if query.get("salesperson_id"):
            statement = statement.where(Customer.salesperson_id == query["salesperson_id"])
        return statement

    @bp.arguments(s.SalesCustomerIn)
    @bp.response(201, s.SalesCustomerOut)
    @require("sales.edit")
    def post(self, data: dict[str, Any]) -> Any:
        assigned = data.pop("salesperson_id", None)
        customer = customers.create_customer(session(), data)
        if assigned is not None:
            salespeople.assign(session(), customer.id, assigned)
        return committed(customer)


@bp.route("/customers/<int:customer_id>")
class CustomerItem(MethodView):
    @bp.response(200, s.SalesCustomerOut)
    @require("sales.view")
    def get(self, customer_id: int) -> Any:
        return customers.get_customer(session(), customer_id)

    @bp.arguments(s.SalesCustomerPatch)
    @bp.response(200, s.SalesCustomerOut)
    @require("sales.edit")
    def patch(self, data: dict[str, Any], customer_id: int) -> Any:
        customer = customers.get_customer(session(), customer_id)
        if "salesperson_id" in data:
            salespeople.assign(session(), customer_id, data.pop("salesperson_id"))
        return committed(customers.update_customer(session(), customer, data))


@bp.route("/customers/<int:customer_id>/balance")
class CustomerBalance(MethodView):
    @bp.response(200, s.SalesBalanceOut)
    @require("sales.view")
    def get(self, customer_id: int) -> Any:
        return receivables.customer_balance(
            session(), customers.get_customer(session(), customer_id)
        )


@bp.route("/invitations")
class Invitations(MethodView):
    @bp.arguments(s.SalesInvitationIn)
    @bp.response(201, s.SalesInvitationOut)
    @require("sales.edit")
    def post(self, data: dict[str, Any]) -> Any:
        invitation, secret = committed(onboarding.invite(session(), by=_user_id(), **data))
        return {
            **{k: getattr(invitation, k) for k in ("id", "customer_id", "phone", "email")},
            "expires_at": invitation.expires_at,
            "link": url_for("sales_onboarding.invitation_page", secret=secret, _external=True),
        }


@bp.route("/registrations")
class Registrations(MethodView):
    @bp.arguments(s.SalesRegistrationQuery, location="query")
    @bp.response(200, s.SalesRegistrationOut(many=True))
    @bp.paginate(Page)
    @require("sales.view")
    def get(self, query: dict[str, Any]) -> Any:
        statement = sa.select(Registration).order_by(Registration.id.desc())
        if query.get("state"):
            statement = statement.where(Registration.state == query["state"])
        return statement


@bp.route("/registrations/<int:registration_id>/approve")
class RegistrationApprove(MethodView):
    @bp.arguments(s.SalesRegistrationApprove)
    @bp.response(200, s.SalesRegistrationOut)
    @require("sales.edit")
    def post(self, data: dict[str, Any], registration_id: int) -> Any:
        registration = onboarding.get_registration(session(), registration_id)
        onboarding.approve(
            session(), registration, by=_user_id(), customer_id=data.get("customer_id")
        )
        return committed(registration)


@bp.route("/registrations/<int:registration_id>/reject")
class RegistrationReject(MethodView):
    @bp.arguments(s.SalesRegistrationReject)
    @bp.response(200, s.SalesRegistrationOut)
    @require("sales.edit")
    def post(self, data: dict[str, Any], registration_id: int) -> Any:
        registration = onboarding.get_registration(session(), registration_id)
        onboarding.reject(session(), registration, by=_user_id(), reason=data["reason"])
        return committed(registration)


@bp.route("/analysis")
class SalesAnalysis(MethodView):
    @bp.arguments(s.SalesAnalysisQuery, location="query")
    @bp.response(200, s.SalesAnalysisOut)
    @require("sales.view")
    def get(self, query: dict[str, Any]) -> Any:
        """Net sales (before PPN, less returns) of a date range by retailer, area, product,
        category, month or day; the total equals the revenue the books show for it."""
        found = analysis.analyse(session(), query.get("start"), query.get("end"), query["by"])
        return {
            "start": found.start,
            "end": found.end,
            "by": found.by,
            "invoiced": found.invoiced,
            "returned": found.returned,
            "total": found.total,
            "rows": [
                {
                    "key": r.key,
                    "label": r.label,
                    "invoiced": r.invoiced,
                    "returned": r.returned,
                    "sales": r.sales,
                }
                for r in found.rows
            ],
        }


# --- salespeople and targets --------------------------------------------------------------


@bp.route("/salespeople")
class Salespeople(MethodView):
    @bp.response(200, s.SalesSalespersonOut(many=True))
    @bp.paginate(Page)
    @require("sales.view")
    def get(self) -> Any:
        return sa.select(Salesperson).order_by(Salesperson.name, Salesperson.id)

    @bp.arguments(s.SalesSalespersonIn)
    @bp.response(201, s.SalesSalespersonOut)
    @require("sales.edit")
    def post(self, data: dict[str, Any]) -> Any:
        return committed(salespeople.save_salesperson(session(), data))


@bp.route("/salespeople/<int:salesperson_id>")
class SalespersonItem(MethodView):
    @bp.response(200, s.SalesSalespersonOut)
    @require("sales.view")
    def get(self, salesperson_id: int) -> Any:
        return salespeople.get_salesperson(session(), salesperson_id)

    @bp.arguments(s.SalesSalespersonPatch)
    @bp.response(200, s.SalesSalespersonOut)
    @require("sales.edit")
    def patch(self, data: dict[str, Any], salesperson_id: int) -> Any:
        found = salespeople.get_salesperson(session(), salesperson_id)
        return committed(salespeople.save_salesperson(session(), data, found))


@bp.route("/salespeople/<int:salesperson_id>/targets")
class SalespersonTargets(MethodView):
    @bp.arguments(s.SalesTargetIn)
    @bp.response(200, s.SalesAchievementOut)
    @require("sales.edit")
    def put(self, data: dict[str, Any], salesperson_id: int) -> Any:
        """Set the salesperson's target of a month; answers it with the achievement."""
        target = salespeople.set_target(session(), salesperson_id, data["month"], data["amount"])
        found = salespeople.achievements(session(), target.month, salesperson_id)[0]
        return committed(found)


@bp.route("/targets")
class Targets(MethodView):
    @bp.arguments(s.SalesTargetQuery, location="query")
    @bp.response(200, s.SalesAchievementOut(many=True))
    @require("sales.view")
    def get(self, query: dict[str, Any]) -> Any:
        """Each salesperson's target of a month (default: this month) against their net
        sales that month, counted like the sales analysis by salesperson."""
        month = query.get("month") or analysis.default_range(session())[0]
        return salespeople.achievements(session(), month)


@bp.route("/groups")
class Groups(MethodView):
    @bp.response(200, s.SalesGroupOut(many=True))
    @require("sales.view")
    def get(self) -> Any:
        return session().scalars(sa.select(CustomerGroup).order_by(CustomerGroup.code)).all()

    @bp.arguments(s.SalesGroupIn)
    @bp.response(201, s.SalesGroupOut)
    @require("sales.edit")
    def post(self, data: dict[str, Any]) -> Any:
        return committed(customers.create_group(session(), **data))


@bp.route("/price-lists")
class PriceLists(MethodView):
    @bp.response(200, s.SalesPriceListOut(many=True))
    @require("sales.view")
    def get(self) -> Any:
        return session().scalars(sa.select(PriceList).order_by(PriceList.name)).all()

    @bp.arguments(s.SalesPriceListIn)
    @bp.response(201, s.SalesPriceListOut)
    @require("sales.edit")
    def post(self, data: dict[str, Any]) -> Any:
        return committed(customers.create_price_list(session(), data["name"], data["items"]))


@bp.route("/price-lists/<int:price_list_id>")
class PriceListItem(MethodView):
    @bp.response(200, s.SalesPriceListOut)
    @require("sales.view")
    def get(self, price_list_id: int) -> Any:
        return _get(PriceList, price_list_id, "Price list")

    @bp.arguments(s.SalesPriceItemsIn)
    @bp.response(200, s.SalesPriceListOut)
    @require("sales.edit")
    def put(self, data: dict[str, Any], price_list_id: int) -> Any:
        price_list = _get(PriceList, price_list_id, "Price list")
        customers.set_price_list_items(price_list, data["items"])
        return committed(price_list)


@bp.route("/products")
class Products(MethodView):
    @bp.arguments(s.SalesProductQuery, location="query")
    @bp.response(200, s.SalesProductOut(many=True))
    @require("sales.view")
    def get(self, query: dict[str, Any]) -> Any:
        customer_id = query.get("customer_id")
        customer = customers.get_customer(session(), customer_id) if customer_id else None
        return catalogue.search(session(), query["q"], customer, query["limit"])


# --- orders --------------------------------------------------------------------------


def _order_data(data: dict[str, Any]) -> dict[str, Any] | None:
    return {"voucher_code": data["voucher_code"]} if data.get("voucher_code") else None


@bp.route("/orders")
class Orders(MethodView):
    @bp.arguments(s.SalesOrderQuery, location="query")
    @bp.response(200, s.SalesOrderOut(many=True))
    @bp.paginate(Page)
    @require("sales.view")
    def get(self, query: dict[str, Any]) -> Any:
        statement = sa.select(Order).order_by(Order.id.desc())
        if query.get("state"):
            statement = statement.where(Order.state == query["state"])
        if query.get("customer_id"):
            statement = statement.where(Order.customer_id == query["customer_id"])
        for key in ("salesperson_id", "warehouse_id"):
            if query.get(key):
                statement = statement.where(getattr(Order, key) == query[key])
        return _dated(statement, Order.order_date, query)

    @bp.arguments(s.SalesOrderIn)
    @bp.response(201, s.SalesOrderOut)
    @require("sales.edit")
    def post(self, data: dict[str, Any]) -> Any:
        order = orders.create_order(
            session(),
            data["customer_id"],
            data["lines"],
            source="api",
            discount_amount=data.get("discount_amount"),
            notes=data.get("notes", ""),
            data=_order_data(data),
            order_date=data.get("order_date"),
            warehouse_id=data.get("warehouse_id"),
            salesperson_id=data.get("salesperson_id"),
        )
        return committed(order)


@bp.route("/orders/<int:order_id>")
class OrderItem(MethodView):
    @bp.response(200, s.SalesOrderOut)
    @require("sales.view")
    def get(self, order_id: int) -> Any:
        return orders.get_order(session(), order_id)

    @bp.arguments(s.SalesOrderPatch)
    @bp.response(200, s.SalesOrderOut)
    @require("sales.edit")
    def patch(self, data: dict[str, Any], order_id: int) -> Any:
        order = orders.update_order(
            session(),
            orders.get_order(session(), order_id, lock=True),
            data.get("lines"),
            discount_amount=data.get("discount_amount"),
            notes=data.get("notes"),
            data=_order_data(data),
            **{k: data[k] for k in ("warehouse_id", "salesperson_id") if k in data},
        )
        return committed(order)


@bp.route("/orders/<int:order_id>/confirm")
class OrderConfirm(MethodView):
    @bp.arguments(s.SalesConfirmIn)
    @bp.response(200, s.SalesOrderOut)
    @require("sales.edit")
    def post(self, data: dict[str, Any], order_id: int) -> Any:
        if data["approve_over_limit"]:
            check("sales.approve")
        return committed(orders.confirm_order(session(), order_id, data["approve_over_limit"]))


@bp.route("/orders/<int:order_id>/cancel")
class OrderCancel(MethodView):
    @bp.response(200, s.SalesOrderOut)
    @require("sales.edit")
    def post(self, order_id: int) -> Any:
        return committed(orders.cancel_order(session(), order_id))


@bp.route("/orders/<int:order_id>/deliveries")
class OrderDeliveries(MethodView):
    @bp.arguments(s.SalesDeliveryIn)
    @bp.response(201, s.SalesDeliveryOut)
    @require("sales.edit")
    def post(self, data: dict[str, Any], order_id: int) -> Any:
        delivery = deliveries.create_delivery(
            session(),
            order_id,
            data.get("lines"),
            driver=data["driver"],
            vehicle=data["vehicle"],
            notes=data["notes"],
        )
        if data["deliver"]:
            deliveries.deliver_created(session(), delivery)
        return committed(delivery)


@bp.route("/orders/<int:order_id>/invoice")
class OrderInvoice(MethodView):
    @bp.response(201, s.SalesInvoiceOut)
    @require("sales.edit")
    def post(self, order_id: int) -> Any:
        return committed(invoices.invoice_order(session(), order_id))


@bp.route("/deliveries/<int:delivery_id>/invoice")
class DeliveryInvoice(MethodView):
    @bp.response(201, s.SalesInvoiceOut)
    @require("sales.edit")
    def post(self, delivery_id: int) -> Any:
        return committed(invoices.invoice_delivery(session(), delivery_id))


# --- deliveries ------------------------------------------------------------------------


@bp.route("/deliveries")
class Deliveries(MethodView):
    @bp.response(200, s.SalesDeliveryOut(many=True))
    @bp.paginate(Page)
    @require("sales.view")
    def get(self) -> Any:
        return sa.select(Delivery).order_by(Delivery.id.desc())


@bp.route("/deliveries/<int:delivery_id>")
class DeliveryItem(MethodView):
    @bp.response(200, s.SalesDeliveryOut)
    @require("sales.view")
    def get(self, delivery_id: int) -> Any:
        return deliveries.get_delivery(session(), delivery_id)


def _delivery_action(name: str, action: Any) -> None:
    class Action(MethodView):
        @bp.response(200, s.SalesDeliveryOut)
        @require("sales.edit")
        def post(self, delivery_id: int) -> Any:
            return committed(action(session(), delivery_id))

    Action.__name__ = f"Delivery{name.title()}"
    bp.route(f"/deliveries/<int:delivery_id>/{name}")(Action)


for _name, _action in (
    ("pack", deliveries.pack),
    ("deliver", deliveries.deliver),
    ("cancel", deliveries.cancel),
):
    _delivery_action(_name, _action)


# --- invoices, payments, returns -------------------------------------------------------


def _invoice_query(query: dict[str, Any], customer_id: int | None = None) -> sa.Select[Any]:
    statement = sa.select(Invoice).order_by(Invoice.id.desc())
    if query.get("state"):
        statement = statement.where(Invoice.state == query["state"])
    customer_id = customer_id or query.get("customer_id")
    if customer_id:
        statement = statement.where(Invoice.customer_id == customer_id)
    if query.get("salesperson_id"):
        statement = statement.join(Order, Order.id == Invoice.order_id).where(
            Order.salesperson_id == query["salesperson_id"]
        )
    return _dated(statement, Invoice.invoice_date, query)


def _dated(statement: sa.Select[Any], column: Any, query: dict[str, Any]) -> sa.Select[Any]:
    """``statement`` limited to ``date_from``..``date_to`` of ``column`` when given."""
    if query.get("date_from"):
        statement = statement.where(column >= query["date_from"])
    if query.get("date_to"):
        statement = statement.where(column <= query["date_to"])
    return statement


@bp.route("/invoices")
class Invoices(MethodView):
    @bp.arguments(s.SalesInvoiceQuery, location="query")
    @bp.response(200, s.SalesInvoiceOut(many=True))
    @bp.paginate(Page)
    @require("sales.view")
    def get(self, query: dict[str, Any]) -> Any:
        return _invoice_query(query)


@bp.route("/invoices/<int:invoice_id>")
class InvoiceItem(MethodView):
    @bp.response(200, s.SalesInvoiceOut)
    @require("sales.view")
    def get(self, invoice_id: int) -> Any:
        return invoices.get_invoice(session(), invoice_id)


@bp.route("/invoices/<int:invoice_id>/payments")
class InvoicePayments(MethodView):
    @bp.response(200, s.SalesPaymentOut(many=True))
    @require("sales.view")
    def get(self, invoice_id: int) -> Any:
        from niaga_sales.models import Payment

        invoices.get_invoice(session(), invoice_id)
        return (
            session()
            .scalars(
                sa.select(Payment).where(Payment.invoice_id == invoice_id).order_by(Payment.id)
            )
            .all()
        )

    @bp.arguments(s.SalesPaymentIn)
    @bp.response(201, s.SalesPaymentOut)
    @require("sales.edit")
    def post(self, data: dict[str, Any], invoice_id: int) -> Any:
        payment = invoices.record_payment(
            session(), invoice_id, data["amount"], data["method"], account=data.get("account")
        )
        return committed(payment)


@bp.route("/invoices/<int:invoice_id>/refunds")
class InvoiceRefunds(MethodView):
    @bp.arguments(s.SalesPaymentIn)
    @bp.response(201, s.SalesPaymentOut)
    @require("sales.edit")
    def post(self, data: dict[str, Any], invoice_id: int) -> Any:
        """Pay back a customer in credit on this invoice (a return after payment, or paid
        too much); stored as a negative payment. More than the credit is refused (409)."""
        payment = invoices.refund_credit(
            session(), invoice_id, data["amount"], data["method"], account=data.get("account")
        )
        return committed(payment)


@bp.route("/invoices/<int:invoice_id>/returns")
class InvoiceReturns(MethodView):
    @bp.arguments(s.SalesReturnIn)
    @bp.response(201, s.SalesCreditNoteOut)
    @require("sales.edit")
    def post(self, data: dict[str, Any], invoice_id: int) -> Any:
        note = sales_returns.post_return(session(), invoice_id, data["lines"], data["reason"])
        return committed(note)


@bp.route("/credit-notes")
class CreditNotes(MethodView):
    @bp.response(200, s.SalesCreditNoteOut(many=True))
    @bp.paginate(Page)
    @require("sales.view")
    def get(self) -> Any:
        return sa.select(CreditNote).order_by(CreditNote.id.desc())


@bp.route("/credit-notes/<int:note_id>")
class CreditNoteItem(MethodView):
    @bp.response(200, s.SalesCreditNoteOut)
    @require("sales.view")
    def get(self, note_id: int) -> Any:
        return _get(CreditNote, note_id, "Credit note")


@bp.route("/receivables")
class Receivables(MethodView):
    @bp.response(200, s.SalesAgedOut(many=True))
    @require("sales.view")
    def get(self) -> Any:
        return receivables.aged(session())


# --- point of sale ----------------------------------------------------------------------


@bp.route("/pos/sessions")
class PosSessions(MethodView):
    @bp.response(200, s.SalesSessionOut(many=True))
    @bp.paginate(Page)
    @require("sales.pos")
    def get(self) -> Any:
        return sa.select(PosSession).order_by(PosSession.id.desc())

    @bp.arguments(s.SalesOpenSessionIn)
    @bp.response(201, s.SalesSessionOut)
    @require("sales.pos")
    def post(self, data: dict[str, Any]) -> Any:
        return committed(
            pos.open_session(
                session(), _user_id(), data["opening_cash"], warehouse_id=data["warehouse_id"]
            )
        )


@bp.route("/pos/sessions/current")
class PosCurrentSession(MethodView):
    @bp.response(200, s.SalesSessionOut)
    @require("sales.pos")
    def get(self) -> Any:
        found = pos.current_session(session(), _user_id())
        if found is None:
            raise NotFound("No open cashier session")
        return found


@bp.route("/pos/sessions/<int:session_id>/close")
class PosCloseSession(MethodView):
    @bp.arguments(s.SalesCloseSessionIn)
    @bp.response(200, s.SalesSessionOut)
    @require("sales.pos")
    def post(self, data: dict[str, Any], session_id: int) -> Any:
        found = pos.get_session(session(), session_id)
        if found.cashier_id != _user_id():
            check("sales.approve")
        return committed(pos.close_session(session(), session_id, data["counted_cash"]))


@bp.route("/pos/sales")
class PosSales(MethodView):
    @bp.response(200, s.SalesPosSaleOut(many=True))
    @bp.paginate(Page)
    @require("sales.pos")
    def get(self) -> Any:
        return sa.select(PosSale).order_by(PosSale.id.desc())

    @bp.arguments(s.SalesPosSaleIn)
    @bp.response(201, s.SalesPosSaleOut)
    @bp.alt_response(
        200, schema=s.SalesPosSaleOut, description="Already recorded (same client_ref)"
    )
    @require("sales.pos")
    def post(self, data: dict[str, Any]) -> Any:
        sale, created = committed(pos.record_sale(session(), _user_id(), **data))
        return sale, 201 if created else 200


# --- the retailer's own ------------------------------------------------------------------


def _me() -> Customer:
    return customers.customer_of_user(session(), _user_id())


def _my_order(order_id: int) -> Order:
    order = session().get(Order, order_id)
    if order is None or order.customer_id != _me().id:
        raise NotFound("Order {id} not found", id=order_id)
    return order


@bp.route("/my/catalogue")
class MyCatalogue(MethodView):
    @bp.arguments(s.SalesProductQuery, location="query")
    @bp.response(200, s.SalesProductOut(many=True))
    @require("sales.portal")
    def get(self, query: dict[str, Any]) -> Any:
        return catalogue.search(session(), query["q"], _me(), query["limit"])


@bp.route("/my/orders")
class MyOrders(MethodView):
    @bp.response(200, s.SalesOrderOut(many=True))
    @bp.paginate(Page)
    @require("sales.portal")
    def get(self) -> Any:
        return sa.select(Order).where(Order.customer_id == _me().id).order_by(Order.id.desc())

    @bp.arguments(s.SalesPortalOrderIn)
    @bp.response(201, s.SalesOrderOut)
    @require("sales.portal")
    def post(self, data: dict[str, Any]) -> Any:
        order = orders.create_order(
            session(),
            _me().id,
            data["lines"],
            source="portal",
            notes=data.get("notes", ""),
            data=_order_data(data),
            allow_price=False,
        )
        return committed(order)


@bp.route("/my/orders/<int:order_id>")
class MyOrder(MethodView):
    @bp.response(200, s.SalesOrderOut)
    @require("sales.portal")
    def get(self, order_id: int) -> Any:
        return _my_order(order_id)


@bp.route("/my/orders/<int:order_id>/reorder")
class MyReorder(MethodView):
    @bp.response(201, s.SalesOrderOut)
    @require("sales.portal")
    def post(self, order_id: int) -> Any:
        return committed(orders.reorder(session(), _my_order(order_id), "portal", False))


@bp.route("/my/orders/<int:order_id>/cancel")
class MyCancel(MethodView):
    @bp.response(200, s.SalesOrderOut)
    @require("sales.portal")
    def post(self, order_id: int) -> Any:
        order = _my_order(order_id)
        if order.state != "draft":
            from niaga.errors import Refused

            raise Refused("Only an order not yet confirmed can be cancelled here")
        return committed(orders.cancel_order(session(), order.id))


@bp.route("/my/invoices")
class MyInvoices(MethodView):
    @bp.response(200, s.SalesInvoiceOut(many=True))
    @bp.paginate(Page)
    @require("sales.portal")
    def get(self) -> Any:
        return _invoice_query({}, _me().id)


@bp.route("/my/balance")
class MyBalance(MethodView):
    @bp.response(200, s.SalesBalanceOut)
    @require("sales.portal")
    def get(self) -> Any:
        return receivables.customer_balance(session(), _me())
