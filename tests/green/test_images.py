"""Photos and site plans: accepted by content (JPEG, PNG, WebP), limited in bytes and pixels,
and re-encoded so that EXIF, GPS and text metadata are gone."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin

from lokalsamfund.core.errors import DomainError
from lokalsamfund.green import images

GPS_IFD = 0x8825


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Kameramærke"  # Make
    exif[0x0131] = "HemmeligSoftware"  # Software
    exif[0x0112] = 6  # Orientation: rotate 90 degrees
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (55.0, 40.0, 12.5), 3: "E", 4: (12.0, 34.0, 5.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"hjemme hos Bo")
    return out.getvalue()


def test_jpeg_gps_and_exif_are_stripped_and_orientation_applied() -> None:
    data = _jpeg_with_gps()
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(GPS_IFD)  # the test image has a position
    clean = images.clean_image(data, name="bed.jpg")
    assert clean.content_type == "image/jpeg"
    result = Image.open(io.BytesIO(clean.data))
    assert result.format == "JPEG"
    assert dict(result.getexif()) == {}
    assert "exif" not in result.info
    assert "comment" not in result.info
    assert b"HemmeligSoftware" not in clean.data
    assert b"hjemme hos Bo" not in clean.data
    # Turned upright by its orientation tag before the tag went.
    assert (clean.width, clean.height) == (48, 64)


def test_png_text_chunks_are_stripped() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "Engparken 12, 1. th.")
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, "PNG", pnginfo=info)
    clean = images.clean_image(out.getvalue())
    assert clean.content_type == "image/png"
    assert b"Engparken" not in clean.data
    assert Image.open(io.BytesIO(clean.data)).text == {}


def test_webp_accepted_and_big_images_scaled_down() -> None:
    out = io.BytesIO()
    Image.new("RGB", (3000, 1500), (200, 200, 0)).save(out, "WEBP")
    clean = images.clean_image(out.getvalue())
    assert clean.content_type == "image/webp"
    assert (clean.width, clean.height) == (images.MAX_SIDE, images.MAX_SIDE // 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not an image", "er ikke et JPEG-, PNG- eller WebP-billede"),
        (b"GIF89a" + b"\x00" * 40, "er ikke et JPEG-, PNG- eller WebP-billede"),
    ],
)
def test_by_content_not_by_name(data: bytes, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        images.clean_image(data, name="bed.jpg")


def test_a_gif_named_jpg_is_refused() -> None:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    with pytest.raises(DomainError, match=r"bed\.jpg er ikke et JPEG-, PNG- eller WebP-billede"):
        images.clean_image(out.getvalue(), name="bed.jpg")


def test_too_many_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    with pytest.raises(DomainError, match=r"bed\.jpg er for stor"):
        images.clean_image(_jpeg_with_gps() + b"\x00" * 1000, name="bed.jpg")


def test_too_many_pixels_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(out, "PNG")
    with pytest.raises(DomainError, match="40 × 30"):
        images.clean_image(out.getvalue(), name="plan.png")


def test_a_truncated_image_is_refused() -> None:
    data = _jpeg_with_gps()
    with pytest.raises(DomainError):
        images.clean_image(data[: len(data) // 2], name="halv.jpg")
