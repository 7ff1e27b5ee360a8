"""Uploads: a proof of transfer is what its bytes say, not what the sender declared (HTML
or SVG sent as image/png is refused in Indonesian and nothing is stored); it comes back as
a download under a generated name, and no file name, in any script or with quotes and line
breaks, can break the header or give staff a 500."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from niaga import uploads
from niaga.errors import Invalid
from niaga.testing import csrf_token, login
from niaga_payments import payments
from niaga_payments.models import TransferProof
from niaga_payments.payments import PROOF_MAX_BYTES
from niaga_payments.testing import Harness, prepare

pytestmark = pytest.mark.plugins("payments")

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0\0\x10JFIF\0" + b"\0" * 64
WEBP = b"RIFF\x24\0\0\0WEBPVP8 " + b"\0" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 64
HTML = b"<html><script>fetch('/api/core/tokens')</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


@pytest.fixture
def transfer(app, db, api) -> Harness:
    settings = {"bank_name": "BCA", "account_number": "1234567890", "account_holder": "Toko"}
    return prepare(app, db, api, "bank_transfer", gateway_settings=settings)


@pytest.fixture
def payment(transfer) -> int:
    return transfer.start(transfer.order("300000"))["id"]


def _send(transfer, payment_id: int, content: bytes, name: str, declared: str):
    return transfer.api.post(
        f"/api/payments/{payment_id}/proof",
        data={"file": (io.BytesIO(content), name, declared)},
        headers={"Accept-Language": "id"},
    )


def _stored(db) -> list[TransferProof]:
    db.commit()
    return list(db.scalars(sa.select(TransferProof)))


@pytest.mark.parametrize(
    "content, name",
    [(HTML, "bukti.png"), (SVG, "bukti.svg"), (b"MZ\x90\0", "bukti.exe"), (b"GIF89a", "a.gif")],
)
def test_a_file_that_is_no_photo_or_pdf_is_refused_whatever_it_claims(
    transfer, payment, db, content, name
):
    answer = _send(transfer, payment, content, name, "image/png")
    assert answer.status_code == 422
    assert "Hanya berkas JPEG, PNG, WebP, PDF" in answer.json["error"]["message"]
    assert answer.json["error"]["fields"] == {"file": ["Jenis tidak didukung"]}
    assert _stored(db) == []


def test_empty_and_too_large_files_are_refused(transfer, payment, db):
    empty = _send(transfer, payment, b"", "bukti.png", "image/png")
    assert empty.status_code == 422 and empty.json["error"]["message"] == "Berkasnya kosong"
    big = PNG + b"\0" * (PROOF_MAX_BYTES - len(PNG) + 1)
    large = _send(transfer, payment, big, "bukti.png", "image/png")
    assert large.status_code == 422
    assert large.json["error"]["message"] == "Berkasnya lebih besar dari 5 MB"
    assert _stored(db) == []


@pytest.mark.parametrize(
    "content, kind",
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp"), (PDF, "application/pdf")],
)
def test_the_type_kept_is_the_contents_not_the_claim(transfer, payment, db, content, kind):
    answer = _send(transfer, payment, content, "bukti", "text/html")
    assert answer.status_code == 201, answer.json
    (proof,) = _stored(db)
    assert proof.content_type == kind and proof.content == content


@pytest.mark.parametrize(
    "name",
    [
        'bukti"; filename="evil.html',
        "bukti\r\nSet-Cookie: session=stolen.png",
        "bukti transfer 转账 ✓ Rp.png",
        "../../etc/passwd.png",
    ],
)
def test_a_proof_is_downloaded_under_a_generated_name(transfer, payment, logged_in, db, name):
    # stored through the rule itself: a browser cannot put a line break in a part's name
    proof_id = payments.add_proof(db, payment, name, PNG).id
    db.commit()
    answer = logged_in.get(f"/admin/payments/{payment}/proofs/{proof_id}")
    assert answer.status_code == 200 and answer.data == PNG
    assert answer.mimetype == "image/png"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith(
        f"attachment; filename=\"bukti-transfer-{payment}-{proof_id}.png\"; filename*=UTF-8''"
    )
    assert disposition.isascii() and "\r" not in disposition and "\n" not in disposition
    assert disposition.count('"') == 2
    others = [v for k, v in answer.headers.items() if k != "Content-Disposition"]
    assert not any("stolen" in value for value in others)
    shown = unquote(disposition.split("''", 1)[1])
    assert "/" not in shown and "\r" not in shown and "\n" not in shown
    page = logged_in.get(f"/admin/payments/{payment}")
    assert page.status_code == 200


def test_a_proof_stored_before_the_check_is_not_served_as_a_page(transfer, payment, logged_in, db):
    db.add(
        TransferProof(
            payment_id=payment, filename="bukti.html", content_type="text/html", content=HTML
        )
    )
    db.commit()
    proof_id = db.scalar(sa.select(TransferProof.id))
    answer = logged_in.get(f"/admin/payments/{payment}/proofs/{proof_id}")
    assert answer.status_code == 200
    assert answer.mimetype == "application/octet-stream"
    assert answer.headers["Content-Disposition"].startswith("attachment;")


def test_the_customer_screen_refuses_a_disguised_file_in_indonesian(app, transfer, make_user, db):
    alice = make_user("retailer")
    target = transfer.order("125000", owner=alice)
    client = app.test_client()
    login(client, alice)
    url = f"/portal/payments/pay?target={target}"
    token = csrf_token(client, url)
    client.post(url, data={"gateway": "bank_transfer", "csrf_token": token})
    payment_id = transfer.db.scalar(sa.text("SELECT max(id) FROM payments_payment"))
    sent = client.post(
        f"/portal/payments/proof/{payment_id}?target={target}",
        data={"file": (io.BytesIO(SVG), "bukti.png", "image/png"), "csrf_token": token},
        headers={"Accept-Language": "id"},
        follow_redirects=True,
    )
    assert sent.status_code == 200
    assert "Hanya berkas JPEG, PNG, WebP, PDF yang diterima" in sent.get_data(as_text=True)
    assert _stored(db) == []


def test_names_are_cleaned_and_the_header_is_ascii():
    assert uploads.clean_name("C:\\Users\\sari\\bukti\u202etxt.png") == "buktitxt.png"
    header = uploads.attachment("bukti-1.png", "transfer Bu Sari 🧾.png")
    assert header.isascii() and header.startswith('attachment; filename="bukti-1.png"')
    assert uploads.attachment('a"b\r\n.png') == 'attachment; filename="ab.png"'
    with pytest.raises(Invalid):
        uploads.accept(PNG, "x.png", max_bytes=10)
    assert uploads.accept(WEBP, "x", max_bytes=1000, allowed=uploads.IMAGES).extension == "webp"
    with pytest.raises(Invalid):
        uploads.accept(PDF, "x.pdf", max_bytes=1000, allowed=uploads.IMAGES)
