#!/usr/bin/env python3
"""Renders a terminal capture with ANSI colours (`tmux capture-pane -e -p`) to a PNG.

  python3 editors/tools/ansi_png.py capture.ansi out.png [--columns 120]

Needs Pillow and the DejaVu Sans Mono font (Debian: python3-pil fonts-dejavu-core).
Understands SGR: reset, bold, reverse, 16/256/true colours for foreground and background.
"""
import argparse
import re

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
DEFAULT_FG, DEFAULT_BG = (220, 220, 220), (24, 24, 28)
BASE16 = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188),
          (17, 168, 205), (229, 229, 229), (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
          (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255)]


def color256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
    level = 8 + (n - 232) * 10
    return level, level, level


def parse(line, state):
    """Yields (text, fg, bg, bold) runs of one captured line; `state` carries over lines."""
    for part in re.split(r"(\x1b\[[0-9;:]*m)", line):
        if not part.startswith("\x1b["):
            if part:
                fg, bg = state["fg"], state["bg"]
                if state["reverse"]:
                    fg, bg = bg, fg
                yield part, fg, bg, state["bold"]
            continue
        codes = [int(c) if c else 0 for c in re.split(r"[;:]", part[2:-1])] or [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                state.update(fg=DEFAULT_FG, bg=DEFAULT_BG, bold=False, reverse=False)
            elif c == 1:
                state["bold"] = True
            elif c == 22:
                state["bold"] = False
            elif c == 7:
                state["reverse"] = True
            elif c == 27:
                state["reverse"] = False
            elif 30 <= c <= 37 or 90 <= c <= 97:
                state["fg"] = BASE16[c - 30 if c < 90 else c - 82]
            elif 40 <= c <= 47 or 100 <= c <= 107:
                state["bg"] = BASE16[c - 40 if c < 100 else c - 92]
            elif c == 39:
                state["fg"] = DEFAULT_FG
            elif c == 49:
                state["bg"] = DEFAULT_BG
            elif c in (38, 48) and i + 1 < len(codes):
                key = "fg" if c == 38 else "bg"
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    state[key] = color256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    state[key] = tuple(codes[i + 2:i + 5])
                    i += 4
            i += 1


def render(text, columns, size=15):
    font, bold = ImageFont.truetype(FONT, size), ImageFont.truetype(FONT_BOLD, size)
    cell_w = round(font.getlength("M"))
    ascent, descent = font.getmetrics()
    cell_h = ascent + descent + 2
    lines = text.rstrip("\n").split("\n")
    image = Image.new("RGB", (columns * cell_w + 16, len(lines) * cell_h + 16), DEFAULT_BG)
    draw = ImageDraw.Draw(image)
    state = {"fg": DEFAULT_FG, "bg": DEFAULT_BG, "bold": False, "reverse": False}
    for row, line in enumerate(lines):
        col = 0
        for part, fg, bg, is_bold in parse(line, state):
            for ch in part:
                x, y = 8 + col * cell_w, 8 + row * cell_h
                draw.rectangle([x, y, x + cell_w, y + cell_h], fill=bg)
                draw.text((x, y + 1), ch, font=bold if is_bold else font, fill=fg)
                col += 1
    return image


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("capture")
    parser.add_argument("png")
    parser.add_argument("--columns", type=int, default=120)
    args = parser.parse_args()
    with open(args.capture, encoding="utf-8", errors="replace") as f:
        render(f.read(), args.columns).save(args.png, optimize=True)


if __name__ == "__main__":
    main()
