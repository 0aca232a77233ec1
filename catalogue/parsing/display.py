"""Display forms: a heading printed in capitals, set as a copy editor would write it.

Journals set titles, rubrics and series names in capitals; a catalogue that
shows them so shouts in every list, citation and export. The printed form is
kept (records carry it beside the display form); the display form is sentence
case in which each word keeps the case the document itself gives it wherever
it is written in mixed case: "KAZAKHSTAN'S TRANSPORT DIPLOMACY" becomes
"Kazakhstan's transport diplomacy" because the abstract writes "Kazakhstan",
and "ЕАЭС" stays because the body writes it in capitals among lower-case words.

The evidence is a `CaseBook` read from the document's text: for every word
(and pair and triple of words) written outside a line set in capitals, how
often it is lower-case, capitalised or upper-case where it does not open a
sentence (a sentence's first word is capitalised whatever it is, so it says
nothing). A word the document never writes in mixed case falls back to a short
list of proper names and to rules (Roman numerals, words with digits); failing
those it is lower-cased.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .text import is_capitals

# A word for case purposes: letters, with an inner apostrophe ("Kazakhstan's").
# Hyphens separate words, so "KAZAKH-RUSSIAN" is two words, each with its case.
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_SENTENCE_END = frozenset(".!?…")
_OPENING = frozenset("«“„\"'‘")  # a quoted name opens with a capital
_ROMAN_RE = re.compile(r"^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_ROMAN_TWINS = str.maketrans("ХІ", "XI")  # Cyrillic look-alikes of Latin numerals
_LONGEST_PHRASE = 3
_INSTITUTION_RE = re.compile(r"(?i)(?:университет|институт|академи|universit|institut|academ)")
_REFERENCE_RE = re.compile(
    r"^\s*\[?\d{1,3}[.\])]\s|//|https?:|\bdoi\b|\b(?:pp?|[CcSs])\.\s*\d", re.I
)
_RU_ADJECTIVE_RE = re.compile(
    r"(?:ий|ый|ой|ая|яя|ое|ее|ого|его|ую|юю|ых|их|ым|им|ыми|ими|ому|ему)$"
)
_LONGEST_ACRONYM = 6  # ЮНЕСКО, UNESCO; a longer word in capitals is not an abbreviation
_STEM = 5  # letters an inflected form shares with its word ("Қазақстан", "Қазақстанның")

_NOT_NUMERALS = frozenset({"mix", "mi", "di", "li", "dc", "cd", "mc", "cm", "dim", "civil"})

LOWER, TITLE, UPPER = "lower", "title", "upper"

# Proper names a document may use only in capitals (English capitalises them
# where Russian and Kazakh do not: nationalities and languages); the
# document's own evidence always comes first.
_PROPER = {
    "en": frozenset(
        """
        afghanistan africa african america american arab arabic asia asian astana almaty
        azerbaijan beijing britain british canada caspian caucasus central china chinese
        christian england english eurasia eurasian europe european france french georgia
        german germany india indian iran iranian islam islamic israel japan japanese kazakh
        kazakhstan korea korean kyrgyz kyrgyzstan latin mongolia moscow muslim pakistan
        persian russia russian silk soviet tajik tajikistan turkey turkic turkish turkmen
        turkmenistan ukraine ukrainian united uzbek uzbekistan washington western eastern
        """.split()
    ),
    "ru": frozenset(
        """
        азия азии азией европа европы европе казахстан казахстана казахстане россия россии
        китай китая китае москва москвы алматы астана астаны кнр рк рф снг сша ес оон
        """.split()
    ),
    "kk": frozenset(
        """
        азия азиядағы еуропа қазақстан қазақстанның қазақстандағы ресей қытай астана алматы
        мәскеу
        """.split()
    ),
}
# Abbreviations that stay in capitals even where the document gives no evidence.
_ACRONYMS = frozenset(
    "ЕС ЕО ЕАЭС ЕАЭО ШОС ШЫҰ ОДКБ ҰҚШҰ СНГ ТМД ООН БҰҰ США АҚШ РК ҚР РФ КНР ҚХР ЮНЕСКО "
    "ЕАЭС ВТО ДСҰ НАТО ОБСЕ ЕҚЫҰ СССР КСРО ЦА ЕU EU UN USA US UK NATO SCO CSTO CIS EAEU "
    "UNESCO WTO OSCE USSR OECD BRICS ASEAN IT AI GDP ICT NGO NGOS COVID".split()
)


def _shape(word: str) -> str:
    """The case of one word as written: lower, title, upper, or itself when mixed (КазУМОиМЯ)."""
    if word.islower():
        return LOWER
    if word.isupper():
        return UPPER if sum(map(str.isalpha, word)) > 1 else TITLE
    if word.istitle():
        return TITLE
    letters = [ch for ch in word if ch.isalpha()]
    if not letters:
        return LOWER
    # "Kazakhstan's" is title; "iPhone", "КазУМОиМЯ" are their own shape.
    head = re.split(r"['’]", word)[0]
    if head[:1].isupper() and head[1:].islower():
        return TITLE
    return word


def _evidence(word: str) -> str | None:
    """The shape a word in running text testifies to; None for a long word in capitals,
    which is a heading's fragment or a name set in capitals, not an abbreviation."""
    if len(word) < 2:
        return None
    shape = _shape(word)
    return None if shape == UPPER and len(word) > _LONGEST_ACRONYM else shape


def _apply(shape: str, word: str) -> str:
    if shape == LOWER:
        return word.lower()
    if shape == UPPER:
        return word.upper()
    if shape == TITLE:
        return word[:1].upper() + word[1:].lower()
    return shape if shape.lower() == word.lower() else word[:1].upper() + word[1:].lower()


@dataclass
class CaseBook:
    """How the document writes each word and phrase, where its case means something."""

    phrases: dict[tuple[str, ...], Counter] = field(default_factory=lambda: defaultdict(Counter))
    stems: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    written: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    wanted: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()

    @classmethod
    def read(cls, text: str, headings: Iterable[str]) -> CaseBook:
        """The evidence for the words of `headings`, the texts to be set in display case."""
        wanted = {w.lower() for h in headings for w in _WORD_RE.findall(h)}
        book = cls(
            wanted=frozenset(wanted),
            prefixes=frozenset(w[:_STEM] for w in wanted if len(w) >= _STEM),
        )
        for line in text.splitlines():
            # A heading in capitals says nothing about case; a reference writes the titles
            # of books and journals in title case ("World Politics"), so it says little.
            if not _shouted(line) and not _REFERENCE_RE.search(line):
                book._read_line(line)
        book._read_whole(text, headings)
        return book

    def _read_whole(self, text: str, headings: Iterable[str]) -> None:
        """Where the document writes a whole heading in mixed case (its table of contents,
        a running head, a citation of the series), that is the heading's own form."""
        # Lower-cased in place: "İ" lower-cases to two characters, so it becomes "i".
        longer = {ord(ch): ch.lower()[0] for ch in set(text) if len(ch.lower()) != 1}
        lowered = text.translate(longer).lower()
        for heading in {_key(h) for h in headings if _shouted(h)}:
            words = heading.split()
            if not words:
                continue
            pattern = re.compile(r"\W+".join(map(re.escape, words)) + r"(?!\w)")
            start = lowered.find(words[0])
            while start != -1:
                found = pattern.match(lowered, start)
                if found and (start == 0 or not lowered[start - 1].isalnum()):
                    form = " ".join(text[start : found.end()].split())
                    if not _shouted(form) and _key(form) == heading:
                        self.written[heading][form] += 1
                start = lowered.find(words[0], start + 1)

    def _read_line(self, line: str) -> None:
        words: list[tuple[str, bool]] = []  # (word, opens a sentence)
        last = 0
        for match in _WORD_RE.finditer(line):
            between = line[last : match.start()]
            last = match.end()
            opens = not words and not line[: match.start()].strip(" \t«“\"'(")
            if any(ch in _SENTENCE_END or ch == ":" for ch in between):
                opens = True
            if words and between.strip(" -–—‐"):
                self._count(words)  # punctuation other than a hyphen or a space ends a phrase
                words = []
            words.append((match.group(), opens))
        self._count(words)

    def _count(self, words: list[tuple[str, bool]]) -> None:
        keys = [w.lower() for w, _ in words]
        shapes = [
            _evidence(w) if k in self.wanted or k[:_STEM] in self.prefixes else None
            for k, (w, _) in zip(keys, words, strict=True)
        ]
        for i, (key, (_, opens)) in enumerate(zip(keys, words, strict=True)):
            if key not in self.wanted and key[:_STEM] not in self.prefixes:
                continue
            if not opens and shapes[i] is not None:
                self.stems[key][shapes[i]] += 1
            for n in range(2, _LONGEST_PHRASE + 1):
                phrase = tuple(keys[i : i + n])
                if len(phrase) < n or not self.wanted.issuperset(phrase):
                    break
                self.phrases[phrase][(opens, tuple(shapes[i : i + n]))] += 1

    def whole_form(self, heading: str) -> str | None:
        forms = self.written.get(_key(heading))
        if not forms:
            return None
        best = max(forms.values())
        return min(form for form, count in forms.items() if count == best)  # lower sorts last

    def phrase_shapes(self, words: list[str]) -> list[str | None]:
        """Each word's shape from the longest phrases the document writes, left to right,
        so that a phrase keeps one consistent case ("Central Asian", "regional studies")."""
        lowered = [w.lower() for w in words]
        shapes: list[str | None] = [None] * len(words)
        i = 0
        while i < len(words):
            for n in range(min(_LONGEST_PHRASE, len(words) - i), 1, -1):
                votes: Counter = Counter()
                written = self.phrases.get(tuple(lowered[i : i + n]), {})
                for (opens, found), count in written.items():
                    votes[found[1:] if opens else found] += count
                if votes:
                    best = max(votes.values())
                    found = next(f for f, c in votes.items() if c == best)
                    offset = n - len(found)  # a sentence's first word tells nothing
                    for j, shape in enumerate(found):
                        shapes[i + offset + j] = shape
                    i += n
                    break
            else:
                i += 1
        return shapes

    def names_stem(self, word: str) -> bool:
        """Does the document write a word of this stem with a capital mid-sentence
        ("Казахский университет", "Казахстан" for "казахского")?"""
        stem = word.lower()[:_STEM]
        return len(stem) == _STEM and any(
            other.startswith(stem) and shapes.get(TITLE, 0) for other, shapes in self.stems.items()
        )

    def shape_of(self, word: str) -> str | None:
        """The shape the document gives the word, or a word of the same stem."""
        key = word.lower()
        if key in self.stems:
            return _winner(self.stems[key])
        # Inflected forms: "Қазақстанның" takes the case of "Қазақстан", "Kazakhstan's" of
        # "Kazakhstan". A shared beginning of at least five letters and most of the word.
        key = re.split(r"['’]", key)[0]
        if key in self.stems:
            return _winner(self.stems[key])
        need = max(_STEM, (len(key) * 3 + 3) // 4)
        votes: Counter = Counter()
        if len(key) >= need:
            for other, shapes in self.stems.items():
                if len(other) >= need and other[:need] == key[:need]:
                    for shape, count in shapes.items():
                        votes[shape if shape in (LOWER, TITLE, UPPER) else TITLE] += count
        return _winner(votes) if votes else None


def _winner(votes: Counter) -> str:
    """The shape the document gives a word. Capitals must win clearly: a common noun is
    capitalised now and then (a reference's title, a heading in title case), a name is
    almost never lower-cased."""
    lower, title, upper = votes.get(LOWER, 0), votes.get(TITLE, 0), votes.get(UPPER, 0)
    own = [(count, shape) for shape, count in votes.items() if shape not in (LOWER, TITLE, UPPER)]
    if own and max(own)[0] > lower + title + upper - max(own)[0]:
        return max(own)[1]
    if upper and upper >= 2 * (lower + title):
        return UPPER
    if title + upper and title + upper >= 2 * lower:
        return TITLE
    return LOWER


def display_case(text: str, language: str, book: CaseBook | None = None) -> str:
    """`text` as a copy editor would set it: unchanged unless it is printed in capitals."""
    if not text or not _shouted(text):
        return text
    book = book or CaseBook()
    whole = book.whole_form(text)
    if whole is not None:
        return _restore_spacing(text, whole[:1].upper() + whole[1:])
    words = list(_WORD_RE.finditer(text))
    plain = [m.group() for m in words]
    in_phrases = book.phrase_shapes(plain)
    out: list[str] = []
    last = 0
    for i, match in enumerate(words):
        between = text[last : match.start()]
        out.append(between)
        last = match.end()
        word = match.group()
        if _shape(word) not in (UPPER, TITLE) or (_shape(word) == TITLE and i == 0):
            out.append(word)  # written in mixed case by the document itself: keep it
            continue
        if between == "-" and i > 0 and _shape(out[-2]) == UPPER and len(word) <= 4:
            out.append(word.lower())  # a case ending on an abbreviation: "ЕО-ның"
            continue
        shape = in_phrases[i] or _shape_of_word(word, language, book)
        if (
            shape == LOWER
            and language in ("ru", "kk")
            and i + 1 < len(plain)
            and _INSTITUTION_RE.match(plain[i + 1])
            and book.names_stem(word)
        ):
            shape = TITLE  # a university's name opens with a capital: "Казахского университета"
        if shape is None and language == "ru" and between == "-":
            if _RU_ADJECTIVE_RE.search(word.lower()):
                shape = LOWER  # "американо-израильский": a compound adjective's second part
        shape = shape or _fallback(word, language)
        opens = i == 0 or _opens_sentence(between, language)
        if (opens or between.rstrip()[-1:] in _OPENING) and shape == LOWER:
            shape = TITLE
        out.append(_apply(shape, word))
    out.append(text[last:])
    return "".join(out)


def _key(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.lower()))


def _restore_spacing(printed: str, written: str) -> str:
    """The written form's letters with the printed form's punctuation and spaces, which
    the search over the document's text may have found wrapped or spaced otherwise."""
    letters = iter(ch for ch in written if ch.isalpha())
    return "".join(next(letters, ch) if ch.isalpha() else ch for ch in printed)


def _shouted(text: str) -> bool:
    """Set in capitals: the whole text, or a run of capital words where a PDF's capitals
    stop mid-title ("ОРТАЛЫҚ АЗИЯДАҒЫ ДАМУ ЖӘНЕ Өңірлік интеграция")."""
    if is_capitals(text):
        return True
    upper = [w for w in _WORD_RE.findall(text) if len(w) > 2 and w.isupper()]
    return len(upper) >= 3 and not all(w in _ACRONYMS for w in upper)


def _opens_sentence(between: str, language: str) -> bool:
    stripped = between.strip(" «“\"'(")
    if any(ch in _SENTENCE_END for ch in stripped):
        return True
    # English sentence case capitalises after a colon; Russian and Kazakh do not.
    return language == "en" and ":" in stripped


def _shape_of_word(word: str, language: str, book: CaseBook) -> str | None:
    if any(ch.isdigit() for ch in word):
        return UPPER
    return book.shape_of(word)


def _fallback(word: str, language: str) -> str:
    """A word the document never writes in mixed case."""
    key = word.lower()
    if word.upper() in _ACRONYMS:
        return UPPER
    if _ROMAN_RE.match(word.upper().translate(_ROMAN_TWINS)) and key not in _NOT_NUMERALS:
        return UPPER
    if language == "en" and key == "i":
        return UPPER
    if key in _PROPER.get(language, ()) or re.split(r"['’]", key)[0] in _PROPER.get(language, ()):
        return TITLE
    return LOWER


def display_forms(texts: dict[str, str], book: CaseBook) -> dict[str, str]:
    """{lang: display form} for {lang: printed form}."""
    return {lang: display_case(text, lang, book) for lang, text in texts.items()}
