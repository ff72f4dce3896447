"""Test data: valid codes, real sample files, recognisable plaintext."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ingest.uscc import ALPHABET, check_character

DATA = Path(__file__).parent / "data"
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"  # Debian fonts-noto-cjk
MARKER = b"PLAINTEXT-MARKER-\xe5\xae\xa2\xe6\x88\xb7"  # "客户" keeps it recognisable in UTF-8


def random_uscc() -> str:
    """A valid unified social credit code nobody else in the test run uses."""
    body = "91" + "".join(secrets.choice("0123456789") for _ in range(6))
    body += "".join(secrets.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


def sample_pdf() -> bytes:
    """A real financial-statement scan (small), kept in tests/data."""
    return (DATA / "en_ph_scan_ideal_marketing_2022_fs.pdf").read_bytes()


def red_pixels(image: Image.Image) -> int:
    """How many pixels have the watermark's red (test pages and scans have none of their own)."""
    colours: list[tuple[int, tuple[int, int, int]]] = image.convert("RGB").getcolors(1 << 24) or []  # type: ignore[assignment]
    return sum(n for n, (r, g, b) in colours if r > 150 and g < 120 and b < 120)


def fake_file(kind: str, size: int) -> bytes:
    """`size` bytes that sniff as `kind` (pdf or jpeg), with the marker repeated through them."""
    head = {"pdf": b"%PDF-1.7\n", "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"}[kind]
    filler = (MARKER + os.urandom(64)) * (size // (len(MARKER) + 64) + 1)
    return (head + filler)[:size]


def license_image(
    name: str, uscc: str
) -> tuple[Image.Image, dict[str, tuple[float, float, float, float]]]:
    """A scanned business license (300 DPI) and the pixel box of each label and value drawn."""
    image = Image.new("L", (2000, 1100), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(CJK_FONT, 46)
    draw.text((780, 60), "营业执照", font=ImageFont.truetype(CJK_FONT, 90), fill=0)
    rows = [
        ("统一社会信用代码", uscc),
        ("名　　　　称", name),
        ("类　　　　型", "有限责任公司"),
        ("法定代表人", "张三"),
        ("成 立 日 期", "2015年03月12日"),
        ("营 业 期 限", "2015年03月12日 至 长期"),
        ("住　　　　所", "上海市浦东新区世纪大道100号"),
        ("注 册 资 本", "人民币壹仟万元整"),
    ]
    boxes = {}
    for index, (label, value) in enumerate(rows):
        top = 260 + index * 110
        boxes[label] = draw.textbbox((150, top), label, font=font)
        boxes[value] = draw.textbbox((650, top), value, font=font)
        draw.text((150, top), label, font=font, fill=0)
        draw.text((650, top), value, font=font, fill=0)
    return image, boxes


QUALITATIVE_FACTORS = (
    "industry_position",
    "market_competitiveness",
    "cooperation_years",
    "management_reputation",
    "policy_support",
)


def qualitative(score: str) -> dict[str, list[dict[str, str]]]:
    """A rating's qualitative part: each factor of 000 given `score`, so the total is `score`."""
    return {"qualitative_factors": [{"factor": f, "score": score} for f in QUALITATIVE_FACTORS]}
