"""Product pictures for the demo catalogue, drawn with Pillow when the sandbox is set up.

Drawn, not shipped: no photo, font file or licence comes with the repository. Each
picture is a soft background in the colour of its product type, a simple package
(a jar, a tub, a bottle or a book) and the product's name, in Pillow's built-in font.
"""

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

SIZE = 600

# Per product type: (background top, background bottom, package, label).
PALETTES = {
    "Skin care": ((232, 245, 236), (196, 228, 208), (255, 255, 255), (46, 125, 91)),
    "Nutrition": ((253, 241, 226), (247, 214, 178), (255, 250, 242), (196, 98, 24)),
    "Books": ((230, 238, 250), (192, 210, 238), (38, 70, 128), (255, 255, 255)),
}
FALLBACK = ((238, 238, 238), (210, 210, 210), (255, 255, 255), (80, 80, 80))


def _background(top, bottom):
    image = Image.new("RGB", (SIZE, SIZE), top)
    draw = ImageDraw.Draw(image)
    for y in range(SIZE):
        share = y / (SIZE - 1)
        colour = tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (SIZE, y)], fill=colour)
    return image


def _shadow(draw, box):
    x0, y0, x1, y1 = box
    draw.ellipse((x0 - 10, y1 - 14, x1 + 10, y1 + 14), fill=(0, 0, 0, 40))


def _package(draw, shape, body, label):
    """Draw the package; returns the box its label goes into."""
    outline = tuple(max(0, c - 60) for c in label)
    if shape == "book":
        box = (170, 110, 430, 470)
        _shadow(draw, box)
        draw.rounded_rectangle(box, radius=10, fill=body, outline=outline, width=3)
        draw.rectangle((170, 110, 196, 470), fill=tuple(max(0, c - 20) for c in body))
        return (210, 170, 420, 420)
    if shape == "bottle":
        _shadow(draw, (200, 160, 400, 480))
        draw.rounded_rectangle((260, 90, 340, 130), radius=8, fill=label)
        draw.rounded_rectangle((278, 125, 322, 170), radius=6, fill=body, outline=outline, width=3)
        draw.rounded_rectangle((200, 160, 400, 480), radius=44, fill=body, outline=outline, width=3)
        return (212, 240, 388, 430)
    if shape == "tub":
        _shadow(draw, (170, 190, 430, 470))
        draw.rounded_rectangle((160, 150, 440, 205), radius=14, fill=label)
        draw.rounded_rectangle((170, 190, 430, 470), radius=24, fill=body, outline=outline, width=3)
        return (185, 250, 415, 420)
    # A jar of cream.
    _shadow(draw, (150, 250, 450, 460))
    draw.rounded_rectangle((165, 200, 435, 260), radius=16, fill=label)
    draw.rounded_rectangle((150, 250, 450, 460), radius=36, fill=body, outline=outline, width=3)
    return (165, 285, 435, 430)


def _label(draw, box, title, colour):
    x0, y0, x1, y1 = box
    width = x1 - x0
    for size in (34, 30, 26, 22, 18):
        font = ImageFont.load_default(size=size)
        per_line = max(6, int(width / (size * 0.55)))
        lines = textwrap.wrap(title, width=per_line, break_long_words=False)
        heights = [draw.textbbox((0, 0), line, font=font)[3] for line in lines]
        widths = [draw.textlength(line, font=font) for line in lines]
        total = sum(heights) + 8 * (len(lines) - 1)
        if max(widths) <= width and total <= y1 - y0:
            break
    y = y0 + (y1 - y0 - total) / 2
    for line, line_width, height in zip(lines, widths, heights, strict=True):
        draw.text((x0 + (width - line_width) / 2, y), line, font=font, fill=colour)
        y += height + 8


def shape_for(product_class, title):
    if product_class == "Books":
        return "book"
    lowered = title.lower()
    if any(word in lowered for word in ("drops", "serum", "toner", "lotion", "capsules")):
        return "bottle"
    if any(word in lowered for word in ("shake", "tea", "scrub")):
        return "tub"
    return "jar"


def product_picture(title, product_class):
    """A PNG picture of the product, as bytes."""
    top, bottom, body, label = PALETTES.get(product_class, FALLBACK)
    image = _background(top, bottom)
    draw = ImageDraw.Draw(image, "RGBA")
    box = _package(draw, shape_for(product_class, title), body, label)
    _label(draw, box, title, label if body != label else (255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
