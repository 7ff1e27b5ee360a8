"""A refused form names its fields as the page labels them, in the person's language:
``Baris 2, Jumlah: x bukan angka``, never ``quantity_1: ['Not a number.']``."""

from __future__ import annotations

from niaga.actions import error_text, field_label
from niaga.errors import Invalid

LABELS = {"quantity": "Quantity", "supplier_id": "Supplier"}


def test_fields_are_named_by_their_labels_and_line(app):
    with app.test_request_context(headers={"Accept-Language": "id"}):
        assert field_label("supplier_id", LABELS) == "Pemasok"
        assert field_label("line-1-quantity", LABELS) == "Baris 2, Jumlah"
        assert field_label("quantity_0", LABELS) == "Baris 1, Jumlah"
        assert field_label("credit_limit", LABELS) == "Limit kredit"  # no label: in words
        assert field_label("qty-7", LABELS) == "Qty-7"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert field_label("quantity_2", LABELS) == "Line 3, Quantity"


def test_the_flash_text_has_every_problem_translated(app):
    refused = Invalid(
        "Some fields are not valid",
        fields={"quantity_0": ["Not a valid number."], "supplier_id": ["Please fill this in"]},
    )
    with app.test_request_context(headers={"Accept-Language": "id"}):
        text = error_text(refused, LABELS)
    assert text.startswith("Beberapa isian tidak valid — ")
    assert "Baris 1, Jumlah: " in text and "Pemasok: Mohon diisi" in text
    assert "Not a valid" not in text and "['" not in text
