"""Photos and site plans uploaded by residents: checked by their content (JPEG, PNG or WebP,
not by their name), limited in bytes and pixels, and re-encoded with Pillow from the pixels
alone, so no EXIF, GPS, XMP, comment or text chunk of the original survives."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from lokalsamfund.core.errors import DomainError

# An upload above this many bytes is refused before Pillow reads it.
MAX_BYTES = 8 * 1024 * 1024
# More pixels than this (e.g. 6,000 x 4,000) are refused before they are decoded.
MAX_PIXELS = 24_000_000
# The stored image is scaled down to fit this many pixels on its longer side.
MAX_SIDE = 2000
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    width: int
    height: int


def clean_image(data: bytes, *, name: str = "") -> CleanImage:
    """The upload ``data`` re-encoded without metadata, or a ``DomainError`` saying what was
    wrong with the file ``name``."""
    label = name or _("the image")
    if len(data) > MAX_BYTES:
        raise DomainError(
            _("%(name)s is too big: %(size)s MB; at most %(limit)s MB.")
            % {
                "name": label,
                "size": f"{len(data) / 1024 / 1024:.1f}".replace(".", ","),
                "limit": MAX_BYTES // 1024 // 1024,
            }
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source = Image.open(io.BytesIO(data))
            image_format = source.format or ""
            if image_format not in FORMATS:
                raise DomainError(_("%(name)s is not a JPEG, PNG or WebP image.") % {"name": label})
            width, height = source.size
            if width * height > MAX_PIXELS:
                raise DomainError(
                    _(
                        "%(name)s has too many pixels: %(width)s × %(height)s; "
                        "at most %(limit)s million."
                    )
                    % {
                        "name": label,
                        "width": width,
                        "height": height,
                        "limit": MAX_PIXELS // 1_000_000,
                    }
                )
            source.load()
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise DomainError(
            _("%(name)s is not a JPEG, PNG or WebP image.") % {"name": label}
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise DomainError(_("%(name)s could not be read as an image.") % {"name": label}) from None
    upright = ImageOps.exif_transpose(source) or source
    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image from the pixels only: nothing of the original's info dictionary comes along.
    pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    if image_format == "JPEG" and pixels.mode not in ("RGB", "L"):
        pixels = pixels.convert("RGB")
    out = io.BytesIO()
    if image_format == "JPEG":
        pixels.save(out, "JPEG", quality=85, optimize=True)
    elif image_format == "WEBP":
        pixels.save(out, "WEBP", quality=85)
    else:
        pixels.save(out, "PNG", optimize=True)
    return CleanImage(
        data=out.getvalue(),
        content_type=FORMATS[image_format],
        width=pixels.width,
        height=pixels.height,
    )
