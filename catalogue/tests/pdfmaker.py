"""Typesetting test documents as PDFs, in the layouts journals print.

The seed texts (one paragraph per line, **bold**, ^{1} superscripts, blank
lines between blocks) are set with reportlab on A4 or A5 pages, in one, two
or three columns: each article's head (codes, DOI, title, byline, abstract,
key words) across the page, its body in the columns below; justified lines
with words hyphenated at line ends; running heads with the journal and issue
on every page and printed page numbers at the foot or in the head.

    make_pdf(text, path, LAYOUTS["a4-two-columns"])

Cyrillic needs a TrueType font: DejaVu Sans (Debian's fonts-dejavu-core,
which scripts/test installs when it runs as root).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.pagesizes import A4, A5
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"Body": "DejaVuSans.ttf", "Body-Bold": "DejaVuSans-Bold.ttf"}
SUPERSCRIPT_SCALE = 0.62
SUPERSCRIPT_RISE = 0.38

HEADS_004 = (
    "ISSN 2411-8753. Abylai Khan KazUIRandWL Bulletin. "
    "Series «International relations and regional studies». No. 4 (62) 2025",
    "Абылай хан атындағы ҚазХҚжӘТУ Хабаршысы. "
    "«Халықаралық қатынастар және аймақтану» сериясы. №4 (62) 2025",
)


class FontMissing(RuntimeError):
    """The TrueType font the generator needs is not installed."""


@dataclass(frozen=True)
class Layout:
    name: str
    page: tuple[float, float] = A4
    columns: int = 1
    margin: float = 56.0
    gutter: float = 18.0
    size: float = 9.5
    leading: float = 1.25  # times the size
    indent: float = 0.0  # first-line indent (points); 0: space between paragraphs instead
    spacing: float = 0.6  # space between blocks, times the size
    heads: tuple[str, str] = HEADS_004  # running heads of even and odd pages
    folio: str = "foot"  # where the page number is printed: "foot" or "head"
    first_page: int = 1
    title_scale: float = 1.2  # capitals in an article's head are set larger


LAYOUTS = {
    layout.name: layout
    for layout in (
        Layout("a4-one-column"),
        Layout("a4-two-columns", columns=2, size=9.0, margin=48),
        Layout("a5-one-column", page=A5, margin=36, size=8.0, folio="head", indent=12.0),
        Layout("a5-two-columns", page=A5, columns=2, margin=30, gutter=12, size=7.0),
        Layout("a4-three-columns", columns=3, margin=40, gutter=14, size=8.0, indent=10.0),
    )
}


@cache
def register_fonts() -> None:
    for name, file in FONTS.items():
        path = FONT_DIR / file
        if not path.exists():
            raise FontMissing(
                f"{path} is missing: the PDF test documents need DejaVu Sans "
                "(apt-get install fonts-dejavu-core)"
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))


# --------------------------------------------------------------------------
# The text: blocks of lines, lines of words, words of runs
# --------------------------------------------------------------------------

_HEAD_START_RE = re.compile(r"^(?:UDC|УДК|ӘОЖ)\b")
_KEYWORDS_RE = re.compile(
    r"^\**(?:Key\s*words|Keywords|Ключевые слова|Түйін(?:ді)? сөздер|Түйінсөздер)", re.I
)
_RUN_RE = re.compile(r"\*\*|\^\{([^{}]*)\}|<(https?://[^>\s]+)>|[^*^<]+|[*^<]")


@dataclass
class Run:
    text: str
    bold: bool
    sup: bool


def runs(line: str, bold: bool = False) -> tuple[list[Run], bool]:
    """A seed line as runs of text; returns the runs and whether bold is still open."""
    out: list[Run] = []
    for match in _RUN_RE.finditer(line.replace("\\*", "*")):
        token = match.group(0)
        if token == "**":
            bold = not bold
        elif match.group(1) is not None:
            out.append(Run(match.group(1), bold, True))
        elif match.group(2) is not None:
            out.append(Run(match.group(2), bold, False))
        else:
            out.append(Run(token, bold, False))
    return out, bold


def words(line_runs: list[Run]) -> list[list[Run]]:
    """Split runs on spaces into words; a word may mix runs ("G.^{1}", "**Abstract.**")."""
    result: list[list[Run]] = [[]]
    for run in line_runs:
        parts = re.split(r"[ \t\u00a0]+", run.text)
        for k, part in enumerate(parts):
            if k:
                result.append([])
            if part:
                result[-1].append(Run(part, run.bold, run.sup))
    return [w for w in result if w]


@dataclass
class Block:
    lines: list[list[list[Run]]]  # lines of words
    head: bool  # part of an article's head (set across the page)
    starts_article: bool


def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    in_head = False
    head_blocks = 0
    bold = False
    for raw in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        if not lines:
            continue
        starts = bool(_HEAD_START_RE.match(lines[0]))
        if starts:
            in_head, head_blocks = True, 0
        parsed = []
        for line in lines:
            line_runs, bold = runs(line, bold)
            parsed.append(words(line_runs))
        out.append(Block(parsed, in_head, starts))
        if in_head:
            head_blocks += 1
            if _KEYWORDS_RE.match(lines[0]) or head_blocks > 14:
                in_head = False
    return out


# --------------------------------------------------------------------------
# Setting the text on pages
# --------------------------------------------------------------------------


class Typesetter:
    def __init__(self, path: Path, layout: Layout):
        register_fonts()
        self.layout = layout
        self.canvas = Canvas(str(path), pagesize=layout.page, pageCompression=1)
        self.width, self.height = layout.page
        self.left = layout.margin
        self.right = self.width - layout.margin
        self.top = self.height - layout.margin - 1.8 * layout.size
        self.bottom = layout.margin + 1.8 * layout.size
        self.page = layout.first_page - 1
        self.frames: list[tuple[float, float]] = []
        self.frame = 0
        self.y = self.top
        self.region_top = self.top
        self.on_page = False
        self._widths: dict[tuple[str, str, float], float] = {}

    # ---- pages and frames

    def new_page(self) -> None:
        if self.on_page:
            self.canvas.showPage()
        self.page += 1
        self.on_page = True
        self._furniture()
        self.y = self.region_top = self.top

    def _furniture(self) -> None:
        layout, c = self.layout, self.canvas
        size = layout.size * 0.85
        head = layout.heads[self.page % 2]
        if layout.folio == "head":
            head = f"{self.page}   {head}" if self.page % 2 == 0 else f"{head}   {self.page}"
        c.setFont("Body", size)
        head_y = self.height - layout.margin + 2
        while self.string_width(head, "Body", size) > self.right - self.left and size > 4:
            size -= 0.25
            c.setFont("Body", size)
        if self.page % 2 == 0:
            c.drawString(self.left, head_y, head)
        else:
            c.drawRightString(self.right, head_y, head)
        c.setLineWidth(0.4)
        c.line(self.left, head_y - 3, self.right, head_y - 3)
        if layout.folio == "foot":
            c.setFont("Body", layout.size * 0.9)
            c.drawCentredString(self.width / 2, layout.margin - 4, str(self.page))

    def full_width(self) -> None:
        self.frames = [(self.left, self.right)]
        self.frame = 0
        self.region_top = self.y

    def in_columns(self) -> None:
        n, gutter = self.layout.columns, self.layout.gutter
        width = (self.right - self.left - gutter * (n - 1)) / n
        self.frames = [
            (self.left + k * (width + gutter), self.left + k * (width + gutter) + width)
            for k in range(n)
        ]
        self.frame = 0
        self.region_top = self.y

    def _next_frame(self) -> None:
        if self.frame + 1 < len(self.frames):
            self.frame += 1
            self.y = self.region_top
            return
        self.new_page()
        self.frame = 0

    # ---- measuring

    def string_width(self, text: str, font: str, size: float) -> float:
        key = (text, font, size)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = pdfmetrics.stringWidth(text, font, size)
        return width

    def run_width(self, run: Run, size: float) -> float:
        font = "Body-Bold" if run.bold else "Body"
        return self.string_width(run.text, font, size * SUPERSCRIPT_SCALE if run.sup else size)

    def word_width(self, word: list[Run], size: float) -> float:
        return sum(self.run_width(run, size) for run in word)

    # ---- lines

    def _hyphenate(self, word: list[Run], room: float, size: float):
        """Split a plain lower-case word so its first part and a hyphen fit in `room`."""
        if len(word) != 1 or word[0].sup:
            return None
        run = word[0]
        text = run.text
        match = re.fullmatch(r"([^\W\d_]{7,})([.,;:)»”]?)", text)
        if not match or not match.group(1)[1:].islower():
            return None
        letters = match.group(1)
        for k in range(len(letters) - 3, 2, -1):
            first = Run(letters[:k] + "-", run.bold, False)
            if self.run_width(first, size) <= room:
                return [first], [Run(text[k:], run.bold, False)]
        return None

    def _cut(self, word: list[Run], width: float, size: float) -> list[Run]:
        """Take from `word` (in place) the longest start that fits in `width`."""
        taken: list[Run] = []
        used = 0.0
        while word:
            run = word[0]
            for k in range(len(run.text), 0, -1):
                piece = Run(run.text[:k], run.bold, run.sup)
                if used + self.run_width(piece, size) <= width:
                    break
            else:
                return taken or [word.pop(0)]
            taken.append(piece)
            used += self.run_width(piece, size)
            if k == len(run.text):
                word.pop(0)
                continue
            word[0] = Run(run.text[k:], run.bold, run.sup)
            return taken
        return taken

    def paragraph(self, line_words: list[list[Run]], size: float, first: bool) -> None:
        """Set one seed line: wrapped, justified, hyphenated; the last line ragged."""
        leading = size * self.layout.leading
        space = self.string_width(" ", "Body", size)
        pending = list(line_words)
        indent = self.layout.indent if first else 0.0
        while pending:
            left, right = self.frames[self.frame]
            width = right - left - indent
            line: list[list[Run]] = []
            used = 0.0
            while pending:
                word = pending[0]
                w = self.word_width(word, size)
                extra = w + (space if line else 0.0)
                if used + extra <= width:
                    line.append(pending.pop(0))
                    used += extra
                    continue
                if not line:  # a word wider than the column (a long link): break it anywhere
                    line.append(self._cut(word, width, size))
                    break
                split = self._hyphenate(word, width - used - space, size)
                if split:
                    line.append(split[0])
                    pending[0] = split[1]
                break
            if self.y - leading < self.bottom:
                self._next_frame()
                left, right = self.frames[self.frame]
            self.y -= leading
            self._draw_line(line, left + indent, right, size, justify=bool(pending))
            indent = 0.0

    def _draw_line(
        self, line: list[list[Run]], left: float, right: float, size: float, justify: bool
    ) -> None:
        c = self.canvas
        widths = [self.word_width(word, size) for word in line]
        space = self.string_width(" ", "Body", size)
        gap = space
        if justify and len(line) > 1:
            gap = (right - left - sum(widths)) / (len(line) - 1)
        x = left
        for word, width in zip(line, widths, strict=True):
            wx = x
            for run in word:
                font = "Body-Bold" if run.bold else "Body"
                run_size = size * SUPERSCRIPT_SCALE if run.sup else size
                rise = size * SUPERSCRIPT_RISE if run.sup else 0.0
                c.setFont(font, run_size)
                c.drawString(wx, self.y + rise, run.text)
                wx += self.run_width(run, size)
            x += width + gap

    def block(self, block: Block, size: float) -> None:
        if self.y < self.region_top:
            self.y -= size * self.layout.spacing if not self.layout.indent or block.head else 0
        for k, line in enumerate(block.lines):
            if line:
                self.paragraph(line, size, first=k == 0 and not block.head)

    def save(self) -> int:
        self.canvas.showPage()
        self.canvas.save()
        return self.page - self.layout.first_page + 1


def _is_capitals(block: Block) -> bool:
    letters = [ch for line in block.lines for w in line for r in w for ch in r.text if ch.isalpha()]
    return len(letters) >= 8 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8


def make_pdf(text: str, path: Path, layout: Layout) -> int:
    """Typeset `text` into `path` in `layout`; returns the number of pages."""
    setter = Typesetter(path, layout)
    setter.new_page()
    setter.full_width()
    columns = seen_article = False
    for block in blocks(text):
        if block.starts_article:
            seen_article = True
            if setter.y < setter.top or columns:  # each article begins a page
                setter.new_page()
                setter.full_width()
                columns = False
        if seen_article and not block.head and not columns and layout.columns > 1:
            setter.in_columns()
            columns = True
        size = layout.size
        if block.head and _is_capitals(block):
            size *= layout.title_scale
        setter.block(block, size)
    return setter.save()
