"""Plugin metadata and hook implementations of niaga_cashbank (kept thin: the rules live in
the plugin's domain modules)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import marshmallow as ma
from sqlalchemy.orm import Session

from niaga import PluginMeta, hookimpl, numbering
from niaga.contracts import Document, PaymentInfo
from niaga.errors import NiagaError
from niaga.meta import DashboardWidget, MenuEntry, Permission
from niaga.runtime import is_enabled
from niaga_cashbank import postings, tax_postings

if TYPE_CHECKING:  # their types only: cash/bank works without inventory or loyalty
    from niaga_inventory.contracts import StockMove
    from niaga_loyalty.contracts import PointsMovement

PLUGIN = PluginMeta(
    name="cashbank",
    label={"id": "Kas & Bank", "en": "Cash & Bank"},
    description={
        "id": "Pembukuan otomatis dan laporan keuangan SAK EMKM.",
        "en": "Automatic double-entry books and SAK EMKM financial statements.",
    },
    core_requires=">=0.1,<0.2",
    depends=(),
    optional_depends=("inventory", "sales", "purchasing", "payments", "loyalty", "tax"),
    migrations=Path(__file__).parent / "migrations",
    api=("niaga_cashbank.api:bp",),
    admin=("niaga_cashbank.admin:bp",),
    cli=("niaga_cashbank.cli:cashbank",),
)


def _valid_pattern(value: str) -> None:
    """A pattern ``niaga.numbering`` accepts, whose numbers fit the voucher's number column."""
    if not value:
        return
    try:
        numbering.validate_pattern(value)
    except NiagaError as exc:
        raise ma.ValidationError(exc.message()) from None
    if len(numbering.render(value, dt.date(2026, 12, 31), 999_999)) > 30:
        raise ma.ValidationError("A voucher number has at most 30 characters")


def _pattern_field(description: str) -> ma.fields.String:
    """A voucher number pattern setting; empty keeps the numbers as they always were."""
    return ma.fields.String(
        load_default="", validate=_valid_pattern, metadata={"description": description}
    )


class Settings(ma.Schema):
    """Settings of the books."""

    lock_date = ma.fields.String(
        load_default="",
        validate=ma.validate.Regexp(r"^(\d{4}-\d{2}-\d{2})?$", error="Use YYYY-MM-DD"),
        metadata={"description": "Books are closed up to and including this date"},
    )
    match_days = ma.fields.Integer(
        load_default=3,
        validate=ma.validate.Range(0, 31),
        metadata={"description": "Days apart a bank line and a posting may be to match"},
    )
    number_pattern_in = _pattern_field("Number pattern of money-in vouchers (empty: BKM-00001)")
    number_pattern_out = _pattern_field("Number pattern of money-out vouchers (empty: BKK-00001)")
    number_pattern_transfer = _pattern_field("Number pattern of transfers (empty: TRF-00001)")
    number_pattern_capital = _pattern_field(
        "Number pattern of owner's capital vouchers (empty: MDL-00001)"
    )
    number_pattern_prive = _pattern_field("Number pattern of prive vouchers (empty: PRV-00001)")


# --- registration ------------------------------------------------------------------------------


@hookimpl
def niaga_settings_schema() -> type[ma.Schema]:
    return Settings


@hookimpl
def niaga_document_label(session: Any, reference: str) -> Any:
    from niaga_cashbank.documents import document_label

    return document_label(session, reference)


@hookimpl
def niaga_permissions() -> list[Permission]:
    keep = ("owner", "manager", "bookkeeper")
    return [
        Permission(
            "cashbank.view",
            {"id": "Lihat akun dan jurnal", "en": "View accounts and journal"},
            keep,
        ),
        Permission(
            "cashbank.post",
            {"id": "Catat jurnal dan voucher", "en": "Post entries and vouchers"},
            keep,
        ),
        Permission(
            "cashbank.reports",
            {"id": "Lihat laporan keuangan", "en": "View financial reports"},
            keep,
        ),
        Permission(
            "cashbank.settings",
            {
                "id": "Atur akun, aturan posting, tutup buku",
                "en": "Set up accounts, rules, lock date",
            },
            ("owner", "bookkeeper"),
        ),
    ]


@hookimpl
def niaga_admin_menu() -> list[MenuEntry]:
    return [
        MenuEntry(
            {"id": "Kas & Bank", "en": "Cash & Bank"},
            "cashbank_admin.index",
            "cashbank.view",
            order=60,
        ),
        MenuEntry(
            {"id": "Laporan Keuangan", "en": "Financial reports"},
            "cashbank_admin.reports_index",
            "cashbank.reports",
            order=61,
        ),
    ]


@hookimpl
def niaga_dashboard_widgets() -> list[DashboardWidget]:
    from niaga_cashbank import dashboard, kpis

    return [
        DashboardWidget(
            "cashbank.trend",
            {"id": "Pendapatan, beban dan kas", "en": "Income, expenses and cash"},
            dashboard.render,
            permission="cashbank.reports",
            order=20,
        ),
        DashboardWidget(
            "cashbank.margin",
            {"id": "Laba kotor dan persediaan", "en": "Gross margin and stock cover"},
            kpis.render,
            permission="cashbank.reports",
            order=21,
        ),
    ]


@hookimpl
def niaga_demo_data(session: Session) -> None:
    from niaga_cashbank.demo import load

    load(session)


@hookimpl
def niaga_check(session: Session) -> list[str]:
    from niaga_cashbank.checks import problems

    return problems(session)


# --- events: each posts one balanced entry in the caller's transaction ------------------------


@hookimpl
def inventory_stock_moved(session: Session, moves: list[StockMove]) -> None:
    postings.stock_moved(session, moves)


@hookimpl
def sales_invoice_issued(session: Session, invoice: Document) -> None:
    postings.invoice_issued(session, invoice)


@hookimpl
def sales_invoice_paid(session: Session, invoice: Document, payment: PaymentInfo) -> None:
    postings.invoice_paid(session, invoice, payment)


@hookimpl
def sales_return_posted(session: Session, credit_note: Document) -> None:
    postings.return_posted(session, credit_note)


@hookimpl
def purchasing_bill_posted(session: Session, bill: Document) -> None:
    postings.bill_posted(session, bill)


@hookimpl
def purchasing_bill_paid(session: Session, bill: Document, payment: PaymentInfo) -> None:
    postings.bill_paid(session, bill, payment)


@hookimpl
def purchasing_supplier_returned(session: Session, debit_note: Document) -> None:
    postings.supplier_returned(session, debit_note)


@hookimpl
def sales_customers_merged(session: Session, kept_id: int, merged_id: int) -> None:
    postings.customers_merged(session, kept_id, merged_id)


@hookimpl
def loyalty_points_changed(session: Session, movement: PointsMovement) -> None:
    postings.points_changed(session, movement)


@hookimpl
def payments_refunded(session: Session, payment: PaymentInfo, amount: Decimal) -> None:
    if payment.target.startswith(SALES_DOCUMENTS) and is_enabled("sales"):
        return  # sales gives it back on the invoice; its sales_invoice_paid books it
    postings.payment_refunded(session, payment, amount)


#: documents whose gateway refunds sales records as negative payments
SALES_DOCUMENTS = ("sales.invoice:", "sales.order:")


@hookimpl
def tax_ppn_closed(session: Session, period: Document) -> None:
    tax_postings.ppn_closed(session, period)


@hookimpl
def tax_pph_paid(session: Session, payment: PaymentInfo) -> None:
    tax_postings.pph_paid(session, payment)
