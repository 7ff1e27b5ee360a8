"""Product pictures (issue 21): an upload is taken only when it really is a JPEG, PNG or
WebP of a sensible size; it is made once into small WebP sizes; they are sent with caching
headers under an address that changes with the picture, to signed-in people only."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from PIL import Image

from niaga.errors import Invalid
from niaga.testing import csrf_token
from niaga_inventory import pictures, products
from niaga_inventory.models import Product, ProductPicture

pytestmark = pytest.mark.plugins("inventory")


def photo(width: int = 1600, height: int = 1200, kind: str = "JPEG", **options) -> bytes:
    """A camera-like photo: a red and blue picture of ``width`` x ``height``."""
    image = Image.new("RGB", (width, height), "red")
    image.paste("blue", (0, 0, width // 2, height))
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def test_a_photo_is_made_once_into_small_webp_sizes(db, make_product):
    product = make_product()
    rotated = Image.Exif()
    rotated[0x0112] = 6  # taken with the phone on its side: shown turned upright
    content = photo(1600, 1200, exif=rotated.tobytes())
    picture = pictures.attach(db, product, content, "C:\\foto\\rokok.jpg")
    db.commit()
    assert product.picture == picture.version and len(picture.version) == 16
    assert picture.filename == "rokok.jpg"
    for size, side in pictures.SIZES.items():
        made = Image.open(io.BytesIO(getattr(picture, size)))
        assert made.format == "WEBP"
        assert made.size == (side * 3 // 4, side)  # upright, longest side ``side``
        assert "exif" not in made.info  # the camera's metadata is not passed on
    assert len(picture.thumb) < 2_000 and len(picture.card) < 20_000  # of a 1.6 MP photo
    info = products.info_for(db, product)
    address = f"/portal/inventory/pictures/{product.id}/{picture.version}/card.webp"
    assert info.picture_url == address
    # a PNG with a transparent background shows white
    clear = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(clear, "PNG")
    pictures.attach(db, product, clear.getvalue(), "logo.png")
    pixel = Image.open(io.BytesIO(db.get(ProductPicture, product.id).card)).getpixel((5, 5))
    assert min(pixel[:3]) > 250


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "Empty"),
        (b"<html><script>alert(1)</script></html>", "Unsupported type"),
        (b"%PDF-1.7 not a picture", "Unsupported type"),
        (b"\xff\xd8\xff\xe0 only the first bytes of a JPEG", "cannot be read"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (pictures.MAX_BYTES + 1), "Too large"),
    ],
)
def test_anything_but_a_readable_picture_is_refused_and_nothing_stored(
    db, make_product, content, reason
):
    product = make_product()
    with pytest.raises(Invalid) as refused:
        pictures.attach(db, product, content, "foto.png")
    assert reason in str(refused.value.fields["picture"]) or reason in refused.value.message("en")
    db.rollback()
    assert db.get(Product, product.id).picture is None
    assert db.scalar(sa.select(sa.func.count()).select_from(ProductPicture)) == 0


def test_a_picture_with_too_many_pixels_is_refused(db, make_product, monkeypatch):
    monkeypatch.setattr(pictures, "MAX_PIXELS", 1000)
    with pytest.raises(Invalid) as refused:
        pictures.attach(db, make_product(), photo(100, 100), "besar.jpg")
    assert refused.value.fields == {"picture": ["Too many pixels"]}


def post_product(client, url, picture, **fields):
    data = {
        "sku": "SB-GULAKU1",
        "name": "Gula Pasir Gulaku 1 kg",
        "base_unit": "bungkus",
        "price": "18500",
        "cost": "16800",
        "tax_class": "standard",
        "active": "on",
        "track_stock": "on",
        "csrf_token": csrf_token(client, "/admin/inventory/products/new"),
        **fields,
    }
    if picture is not None:
        data["picture"] = (io.BytesIO(picture[0]), picture[1])
    return client.post(
        url, data=data, content_type="multipart/form-data", headers={"Accept-Language": "id"}
    )


def test_the_product_form_takes_a_picture_and_shows_a_refusal_under_the_field(logged_in, db):
    refused = post_product(
        logged_in, "/admin/inventory/products/new", (b"<svg onload=alert(1)>", "gula.png")
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert re.search(r'id="picture"[^>]*aria-invalid="true"', html)
    assert re.search(r'<small class="error" id="picture-error">Hanya berkas [^<]*JPEG', html), html
    db.rollback()
    assert db.scalar(sa.select(Product).where(Product.sku == "SB-GULAKU1")) is None  # not half

    saved = post_product(logged_in, "/admin/inventory/products/new", (photo(), "gula.jpg"))
    assert saved.status_code == 302
    db.rollback()
    product = db.scalar(sa.select(Product).where(Product.sku == "SB-GULAKU1"))
    assert product.picture
    listing = logged_in.get("/admin/inventory/").get_data(as_text=True)
    thumb = f"/portal/inventory/pictures/{product.id}/{product.picture}/thumb.webp"
    assert f'src="{thumb}"' in listing
    edit_url = f"/admin/inventory/products/{product.id}/edit"
    assert "card.webp" in logged_in.get(edit_url).get_data(as_text=True)
    # saving again without a file keeps it; ticking "remove" takes it away
    assert post_product(logged_in, edit_url, None).status_code == 302
    db.rollback()
    assert db.get(Product, product.id).picture == product.picture
    assert post_product(logged_in, edit_url, None, remove_picture="1").status_code == 302
    db.rollback()
    assert db.get(Product, product.id).picture is None
    assert db.get(ProductPicture, product.id) is None


def test_a_picture_is_sent_small_with_caching_headers_to_signed_in_people(
    app, logged_in, db, make_product
):
    product = make_product()
    pictures.attach(db, product, photo(), "rokok.jpg")
    db.commit()
    url = pictures.picture_url(product.id, product.picture, "thumb")
    anonymous = app.test_client().get(url)
    assert anonymous.status_code in (302, 401, 404) and anonymous.mimetype != "image/webp"
    sent = logged_in.get(url)
    assert sent.status_code == 200 and sent.mimetype == "image/webp"
    assert sent.content_length < 2_000
    assert "immutable" in sent.headers["Cache-Control"]
    assert "max-age=31536000" in sent.headers["Cache-Control"]
    assert sent.headers["X-Content-Type-Options"] == "nosniff"
    etag = sent.headers["ETag"]
    again = logged_in.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    # an old address (another picture since) or an unknown size is not found
    assert logged_in.get(url.replace(product.picture, "0" * 16)).status_code == 404
    assert logged_in.get(url.replace("thumb", "original")).status_code == 404
