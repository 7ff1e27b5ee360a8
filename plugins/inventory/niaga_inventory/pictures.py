"""Product pictures: an upload is checked by its content (:func:`niaga.uploads.accept`:
JPEG, PNG or WebP, at most :data:`MAX_BYTES`), read by Pillow, turned the right way up and
made once into the sizes the screens show (:data:`SIZES`, WebP without the camera's
metadata, a few KB each). The upload itself is not kept.

A picture's address carries its version (a digest of the upload), so a browser keeps it
for good and a new picture gets a new address (:func:`picture_url`).
"""

from __future__ import annotations

import hashlib
import io
import warnings

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.errors import Invalid
from niaga.uploads import IMAGES, accept
from niaga_inventory.models import Product, ProductPicture

#: the largest upload taken: a phone's photo fits
MAX_BYTES = 8 * 1024 * 1024
#: the most pixels a picture may have (a small file that unpacks into a huge image is refused)
MAX_PIXELS = 40_000_000
#: the sizes made of each picture: the longest side in pixels (twice what the screen shows,
#: for sharp phone screens): a thumbnail for lists and a picture for product cards
SIZES = {"thumb": 96, "card": 480}
QUALITY = 80


def _render(content: bytes) -> dict[str, bytes]:
    """``content`` made into each of :data:`SIZES` as WebP; :class:`Invalid` when Pillow
    cannot read it as a picture."""
    from PIL import Image, ImageOps

    unreadable = Invalid(
        "This picture cannot be read; send a JPEG, PNG or WebP photo",
        fields={"picture": ["This picture cannot be read"]},
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.width * image.height > MAX_PIXELS:
                raise Invalid(
                    "The picture has too many pixels; send one of at most {count} megapixels",
                    fields={"picture": ["Too many pixels"]},
                    count=MAX_PIXELS // 1_000_000,
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except Invalid:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise unreadable from None
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode == "RGBA":  # a transparent background shows white, as on the page
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    made = {}
    for name, side in SIZES.items():
        copy = image.copy()
        copy.thumbnail((side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        copy.save(out, "WEBP", quality=QUALITY, method=4)
        made[name] = out.getvalue()
    return made


def attach(session: Session, product: Product, content: bytes, filename: str) -> ProductPicture:
    """Give ``product`` the picture in ``content`` (replacing any it had); refuses anything
    but a readable JPEG, PNG or WebP of at most :data:`MAX_BYTES` with :class:`Invalid`."""
    upload = accept(content, filename, max_bytes=MAX_BYTES, allowed=IMAGES, field="picture")
    sizes = _render(upload.content)
    version = hashlib.sha256(upload.content).hexdigest()[:16]
    picture = session.get(ProductPicture, product.id) if product.id else None
    if picture is None:
        session.flush()  # a new product gets its id
        picture = ProductPicture(product_id=product.id)
        session.add(picture)
    picture.version = version
    picture.filename = upload.filename
    picture.thumb = sizes["thumb"]
    picture.card = sizes["card"]
    product.picture = version
    session.flush()
    return picture


def remove(session: Session, product: Product) -> None:
    """Take ``product``'s picture away (nothing happens when it has none)."""
    session.execute(sa.delete(ProductPicture).where(ProductPicture.product_id == product.id))
    product.picture = None
    session.flush()


def content(session: Session, product_id: int, version: str, size: str) -> bytes | None:
    """The bytes of product ``product_id``'s picture in ``size``, when ``version`` is its
    current picture; ``None`` otherwise."""
    if size not in SIZES:
        return None
    column = getattr(ProductPicture, size)
    return session.scalar(
        sa.select(column).where(
            ProductPicture.product_id == product_id, ProductPicture.version == version
        )
    )


def versions(session: Session, product_ids: list[int]) -> dict[int, str]:
    """``{product id: picture version}`` of those of ``product_ids`` that have a picture."""
    if not product_ids:
        return {}
    rows = session.execute(
        sa.select(Product.id, Product.picture).where(
            Product.id.in_(product_ids), Product.picture.is_not(None)
        )
    )
    return {row.id: row.picture for row in rows}


def picture_url(product_id: int, version: str | None, size: str = "card") -> str | None:
    """The address of a product's picture in ``size``; ``None`` without a picture."""
    if not version:
        return None
    from flask import has_request_context, request

    root = request.script_root if has_request_context() else ""
    return f"{root}/portal/inventory/pictures/{product_id}/{version}/{size}.webp"
