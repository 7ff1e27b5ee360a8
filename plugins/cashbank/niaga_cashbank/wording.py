"""Journal descriptions as a person reads them: "Persediaan pindah gudang masuk Faktur
INV/2026/11/0026", never "Persediaan transfer_in sales.invoice:26".

Automatic entries are written in the shop's language (Indonesian) with the words of
:data:`STOCK_KINDS`, :data:`POINT_KINDS` and :data:`METHODS`. Entries are append-only, so
those written before keep their codes; :func:`readable` shows any description with its
codes in words and its document references (``<plugin>.<kind>:<id>``) by the documents'
names (:func:`niaga.documents.document_label`).
"""

from __future__ import annotations

import re

#: stock move kinds (inventory's ``StockMove.kind``) in the books' words
STOCK_KINDS = {
    "receipt": "penerimaan barang",
    "issue": "pengeluaran barang",
    "transfer_in": "pindah gudang masuk",
    "transfer_out": "pindah gudang keluar",
    "adjustment": "koreksi stok",
    "opening": "stok awal",
    "return_in": "retur pelanggan",
    "return_out": "retur ke pemasok",
    "gift": "hadiah loyalitas",
    "revaluation": "koreksi harga",
}
#: point movement kinds (loyalty's) in the books' words
POINT_KINDS = {
    "earn": "didapat",
    "redeem": "ditukar",
    "expire": "hangus",
    "adjust": "koreksi",
    "reverse": "dibatalkan",
    "gift": "ditukar hadiah",
}
#: how a payment was made, in the books' words
METHODS = {
    "cash": "tunai",
    "bank_transfer": "transfer bank",
    "transfer": "transfer bank",
    "qris": "QRIS",
    "card": "kartu",
    "virtual_account": "virtual account",
    "ewallet": "dompet digital",
    "retail_outlet": "gerai ritel",
    "credit": "kredit",
    "points": "poin",
}

REFERENCE = re.compile(r"\b[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*:[A-Za-z0-9][A-Za-z0-9:._/-]*")
_STOCK = re.compile(r"^Persediaan ([a-z_]+)\b")
_POINTS = re.compile(r"^Poin loyalitas ([a-z_]+)\b")
_METHOD = re.compile(r"\(([a-z_]+)\)")


def stock_kind(kind: str) -> str:
    return STOCK_KINDS.get(kind, kind.replace("_", " "))


def point_kind(kind: str) -> str:
    return POINT_KINDS.get(kind, kind.replace("_", " "))


def method(code: str | None) -> str:
    return METHODS.get(code or "", (code or "").replace("_", " "))


def words(text: str) -> str:
    """``text`` with the codes automatic entries used to carry in words (no references)."""
    text = _STOCK.sub(lambda m: f"Persediaan {stock_kind(m[1])}", text or "")
    text = _POINTS.sub(lambda m: f"Poin loyalitas {point_kind(m[1])}", text)
    return _METHOD.sub(lambda m: f"({method(m[1])})" if m[1] in METHODS else m[0], text)


def readable(text: str | None) -> str:
    """A journal description for the screen: codes in words, references by name."""
    from niaga.documents import document_label

    return REFERENCE.sub(lambda m: document_label(m[0]).text, words(text or ""))
