"""The one text layer: letters, scripts, languages, wrapped lines, running heads.

The sources are text extracted from PDFs: either clean markdown-like text with
one paragraph per line, or raw hard-wrapped lines with hyphenation, running
heads and page numbers mixed in. Everything here is plain string work so that
block parsers can stay small and be tested on short strings. Each of these
operations exists here once; every stage of the parser calls it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_ASCII = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")

# Letters that print exactly like a letter of the other script. The Latin
# schwa (Ə, U+018F) stands for the Kazakh Ә, so it only ever goes to Cyrillic.
_TO_CYRILLIC = str.maketrans("AaBCcEeHKMOoPpTXxyƏəIi", "АаВСсЕеНКМОоРрТХхуӘәІі")
_TO_LATIN = str.maketrans("АаВСсЕеНКМОоРрТХхуІі", "AaBCcEeHKMOoPpTXxyIi")
_CYRILLIC_TWINS = frozenset("АаВСсЕеНКМОоРрТХхуІі")
_LATIN_TWINS = frozenset("AaBCcEeHKMOoPpTXxyIiƏə")
_MIXED_RE = re.compile(r"[\u0400-\u04FF][A-Za-z\u0259\u018F]|[A-Za-z\u0259\u018F][\u0400-\u04FF]")
# A word: letters, possibly joined by hyphens or apostrophes ("Post-Soviet", "O’Neill").
WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’\u2010][^\W\d_]+)*")


def is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _word_script(word: str) -> str:
    """ "cyr" or "lat": the script a mixed word is written in.

    Letters without a twin in the other script decide ("Оnlinе" has n and l,
    so it is Latin; "сабaқ" has б and қ, so it is Cyrillic); a word made only
    of twins goes by the majority of its letters, a tie to Cyrillic (the
    documents' own language).
    """
    cyr = lat = cyr_only = lat_only = 0
    for ch in word:
        if is_cyrillic(ch):
            cyr += 1
            cyr_only += ch not in _CYRILLIC_TWINS
        elif ch.isalpha():
            lat += 1
            lat_only += ch not in _LATIN_TWINS
    if cyr_only != lat_only:
        return "cyr" if cyr_only > lat_only else "lat"
    return "cyr" if cyr >= lat else "lat"


def _fix_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if not _MIXED_RE.search(word):
        return word
    return word.translate(_TO_CYRILLIC if _word_script(word) == "cyr" else _TO_LATIN)


def normalise_letters(text: str) -> str:
    """Put each word wholly into one script, and NFC-normalise.

    PDF extraction and typists mix Latin and Cyrillic look-alikes ("Оnlinе",
    "PARТ", "Bатырбаев", Kazakh "Ә" typed as the Latin schwa "Ə"). A word of
    one script is never changed, so plain English or Russian stays as it is.
    """
    text = unicodedata.normalize("NFC", text)
    if ("Ə" in text or "ə" in text) and _mostly_cyrillic(text):
        text = text.replace("Ə", "Ә").replace("ə", "ә")
    if not _MIXED_RE.search(text):
        return text
    return WORD_RE.sub(_fix_word, text)


def one_script(text: str, rewrite=None) -> str:
    """A short string that is one thing, a person's name, wholly in the script of most of
    its letters: a word of look-alikes goes into that script ("Tulepov М." with a Cyrillic
    М becomes "Tulepov M."). A word that cannot (letters without a twin) is handed to
    `rewrite(word, to_cyrillic)`, or else put into one script on its own."""
    text = unicodedata.normalize("NFC", text)
    if not (_LATIN_LETTER_RE.search(text) and _CYR_LETTER_RE.search(text)):
        return text
    to_cyrillic = _word_script(text) == "cyr"
    table, twins = (_TO_CYRILLIC, _LATIN_TWINS) if to_cyrillic else (_TO_LATIN, _CYRILLIC_TWINS)

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        foreign = [ch for ch in word if ch.isalpha() and is_cyrillic(ch) != to_cyrillic]
        if not foreign:
            return word
        if all(ch in twins for ch in foreign):
            return word.translate(table)
        return rewrite(word, to_cyrillic) if rewrite else _fix_word(match)

    return WORD_RE.sub(fix, text)


def _mostly_cyrillic(text: str) -> bool:
    cyr = sum(1 for c in text if is_cyrillic(c))
    lat = sum(1 for c in text if c.isascii() and c.isalpha())
    return cyr > lat


def latin_twins(text: str) -> str:
    """Cyrillic letters that look like Latin ones as those Latin letters ("ІІ" -> "II")."""
    return text.translate(_TO_LATIN)


@lru_cache(maxsize=8192)
def norm_key(text: str) -> str:
    """Comparison key of a title or name: case, punctuation, look-alikes and spaces ignored."""
    text = normalise_letters(unicodedata.normalize("NFKC", text)).lower().replace("ё", "е")
    return " ".join(WORD_RE.findall(text))


_MD_CHARS_RE = re.compile(r"[*_#<^\\+•-]")
_AUTOLINK_RE = re.compile(r"<((?:https?://|mailto:|www\.)[^<>\s]+)>")
_SUPERSCRIPT_BRACE_RE = re.compile(r"\^\{([^{}]*)\}")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_BOLD_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
_ITALIC_RE = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_LIST_BULLET_RE = re.compile(r"^\s*[-+•]\s+(?=\[?\d)", re.M)


def strip_markdown(text: str, keep_superscripts: bool = False) -> str:
    """Remove markdown marks (**, *, __, #, <autolinks>, ^{..}) but keep the words.

    With keep_superscripts the ^{1,2} markers are kept as "^{1,2}", which the
    byline parser needs to tell affiliation markers from text.
    """
    if not _MD_CHARS_RE.search(text):
        return text
    text = _AUTOLINK_RE.sub(r"\1", text)
    if not keep_superscripts:
        text = _SUPERSCRIPT_BRACE_RE.sub(r"\1", text)
    text = _HEADING_RE.sub("", text)
    text = _LIST_BULLET_RE.sub("", text)
    text = _BOLD_RE.sub(r"\2", text)
    text = _ITALIC_RE.sub(r"\1", text)
    text = text.replace("**", "").replace("__", "")
    text = text.replace("\\$", "$").replace("\\*", "*")
    return text


def collapse_ws(text: str) -> str:
    """Collapse runs of whitespace (incl. NBSP, tabs, newlines) to one space."""
    return " ".join(text.replace("\u00ad", "").split())


_KEEP_HYPHEN_PREFIXES = {"self", "socio", "cross", "non", "well", "co", "ex", "post", "pre"}
_HYPHEN_END_RE = re.compile(r"(\w+)[-\u2010\u00ad]$")


def _hyphenated_word_start(text: str) -> int | None:
    """Where the word before a final hyphen starts (what _HYPHEN_END_RE finds), or None.

    Walks back from the end instead of searching from the start: paragraphs are
    joined line by line, so a search over the whole joined text would be quadratic.
    """
    if not text or text[-1] not in "-\u2010\u00ad":
        return None
    k = len(text) - 1
    while k > 0 and (text[k - 1].isalnum() or text[k - 1] == "_"):
        k -= 1
    return k if k < len(text) - 1 else None


def _join_two(left: str, right: str) -> str:
    """Join a line to the next, rejoining a word hyphenated across the break."""
    left = left.rstrip()
    right = right.lstrip()
    if not left:
        return right
    if not right:
        return left
    start = _hyphenated_word_start(left)
    if start is not None and right[0].isalpha() and right[0].islower():
        fragment = left[start:-1]
        before = left[:start]
        # "M.-" or "Sydyknazarov M.-\nA.K." style initials: keep the hyphen.
        if fragment.isalpha() and fragment[-1].islower() and not before.endswith("."):
            if fragment.lower() in _KEEP_HYPHEN_PREFIXES:
                return left + right
            return left[:-1] + right
        return left + right
    if left.endswith(("-", "\u2010")) and left[-2:-1] == ".":
        return left + right  # "M.-\nA.K.": initials of a hyphenated first name
    if left.endswith(("-", "\u2010")) and right[:1].isupper() and left[-2:-1].isalpha():
        return left + right  # "Post-\nSoviet": a real hyphen
    return left + " " + right


def join_lines(lines: Iterable[str]) -> str:
    """Join the hard-wrapped lines of one paragraph into one line."""
    out = ""
    for line in lines:
        out = _join_two(out, line)
    return collapse_ws(out)


def paragraphs(text: str) -> list[str]:
    """Split text on blank lines and join each paragraph's wrapped lines."""
    result = []
    for block in re.split(r"\n\s*\n", text):
        joined = join_lines(block.splitlines())
        if joined:
            result.append(joined)
    return result


def letters_by_script(text: str) -> tuple[int, int, int]:
    """Count (latin, cyrillic, kazakh-specific) letters."""
    latin = len(_LATIN_LETTER_RE.findall(text))
    cyr = len(_CYR_LETTER_RE.findall(text))
    kk = len(_KK_LETTER_RE.findall(text))
    return latin, cyr, kk


_LATIN_LETTER_RE = re.compile(r"[A-Za-z]")
_CYR_LETTER_RE = re.compile(r"[\u0400-\u0481\u048A-\u04FF]")
_KK_LETTER_RE = re.compile("[" + "".join(sorted(KAZAKH_LETTERS)) + "]")


_KK_WORDS = {
    "және",
    "мен",
    "бен",
    "пен",
    "үшін",
    "бұл",
    "осы",
    "арқылы",
    "туралы",
    "мақала",
    "ретінде",
}
_RU_WORDS = {"и", "в", "на", "с", "для", "по", "что", "как", "от", "это", "статья", "из", "при"}


def detect_language(text: str) -> str:
    """Return "en", "kk", "ru", or "" when the text has no letters.

    More Latin than Cyrillic letters is English. Cyrillic is Kazakh when the
    Kazakh letters (ә ғ қ ң ө ұ ү һ і) are a fair share of it; a stray one is
    often a name in a Russian text (Сүлейменов), so a short text (a title, a
    keyword list) needs two of them or a few words, and where the letters do
    not tell, common function words do.
    """
    text = normalise_letters(text[:6000])
    latin, cyr, kk = letters_by_script(text)
    if latin + cyr == 0:
        return ""
    if latin > cyr:
        return "en"
    words = _LOWER_WORD_RE.findall(text.lower())
    by_words = (
        "kk" if sum(w in _KK_WORDS for w in words) > sum(w in _RU_WORDS for w in words) else "ru"
    )
    if kk == 0:
        return by_words
    if cyr < 60:
        cyrillic_words = [w for w in words if is_cyrillic(w[0])]
        with_kazakh = sum(1 for w in cyrillic_words if not KAZAKH_LETTERS.isdisjoint(w))
        if kk >= 2 or with_kazakh * 6 >= len(cyrillic_words) or len(cyrillic_words) <= 4:
            return "kk"
        return by_words
    return "kk" if kk / cyr >= 0.02 else by_words


_LOWER_WORD_RE = re.compile(r"[\w\u0400-\u04ff]+")
# ---------------------------------------------------------------- lines


@dataclass
class Line:
    """One physical line with its offsets and a cleaned form for matching."""

    index: int
    start: int
    end: int
    raw: str
    clean: str  # markdown stripped (superscripts kept as ^{..}), letters normalised
    plain: str  # clean without the ^{..} markers
    printed: str  # markdown stripped, superscripts kept, letters as printed (for names)

    @property
    def blank(self) -> bool:
        return not self.plain


def split_lines(text: str) -> list[Line]:
    """Cut text into Line objects; cleaning is per line so offsets stay exact."""
    return list(_split_lines(text))


@lru_cache(maxsize=16)
def _split_lines(text: str) -> tuple[Line, ...]:
    result = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        clean, plain, printed = _clean_line(raw)
        result.append(Line(i, pos, pos + len(raw), raw, clean, plain, printed))
        pos += len(raw) + 1
    return tuple(result)


@lru_cache(maxsize=65536)
def _clean_line(raw: str) -> tuple[str, str, str]:
    printed = collapse_ws(strip_markdown(raw, keep_superscripts=True))
    clean = normalise_letters(printed)
    plain = collapse_ws(re.sub(r"\^\{([^{}]*)\}", r"\1", clean)) if "^{" in clean else clean
    return clean, plain, printed


def is_capitals(text: str) -> bool:
    """Set in capitals, as titles often are: nearly all of at least four letters upper-case."""
    letters = sum(map(str.isalpha, text))
    if letters < 4:
        return False
    return sum(map(str.isupper, filter(str.isalpha, text))) / letters >= 0.8


_PAGE_NUMBER_RE = re.compile(r"^\s*(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?\s*$")
_RUNNING_HEAD_RE = re.compile(
    r"(?i)(^\d{0,4}\s*«?(?:bulletin|вестник|хабаршы|хабаршысы|известия)\b"
    r"|ХАБАРШЫСЫ"
    r"|\bnumber\s+\d+\s*\(\d+\)\s*\d{4}"
    r"|\b\d\s*\(\d{1,3}\)\s*\d{4}\s*,?\s*(?:pp?\.|б\.|с\.)?\s*\d+\s*[-–]\s*\d+\s*$"
    r"|^\d{0,4}\s*«[^»]{5,80}»\s*(?:сериясы|серия|series)\s*$"
    r"|^(?:series|серия)\s*[«“\"][^»”\"]{5,120}[»”\"]\s*(?:№|No\.?)?\s*\d+\s*\(\d+\)\s*\d{4}$"
    r"|^_{5,}$)"
)
_NOT_HEAD_RE = re.compile(r"^\s*(?:\[\d+\]|\d{1,3}\.\s)")


def is_page_number(line: str) -> bool:
    """A line that is only a page number (possibly with dashes around)."""
    return bool(_PAGE_NUMBER_RE.match(line))


def is_running_head(line: str, known: Iterable[str] = ()) -> bool:
    """Recognise running heads, page numbers and separator rules.

    `known` lets a caller add strings that repeat as running heads in this
    document (for instance the byline "Zhumatay G." printed on every page).
    """
    stripped = collapse_ws(strip_markdown(line))
    if not stripped:
        return False
    if is_page_number(stripped):
        return True
    if (
        len(stripped) <= 160
        and not _NOT_HEAD_RE.match(stripped)
        and _RUNNING_HEAD_RE.search(stripped)
    ):
        return True
    return any(stripped == collapse_ws(k) for k in known if k)
