"""Person names: bylines, name forms and loose cross-script match keys.

One author appears as "Zhumatay G." (English byline), "Жұматай Ғ.Б." (Kazakh
and Russian bylines) and "Zhumatay Gabit" / "Жұматай Ғабит Бекенұлы" (author
information). The keys here are deliberately loose: they are for deciding
whether two printed forms can be the same person, never for display.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from . import labels as L
from .text import SUPERSCRIPT_DIGITS, collapse_ws, is_cyrillic, normalise_letters, one_script

_TRANSLITERATION = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
    "ё": "yo", "ж": "zh", "з": "z", "и": "i", "й": "i", "і": "i", "к": "k", "қ": "k",
    "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}  # fmt: skip
_LATIN_SPECIAL = {"ə": "a", "ı": "i", "ş": "sh", "ç": "ch", "ğ": "g", "ñ": "n", "ß": "ss"}
_VOWELS = "aeiouy"


def name_in_one_script(name: str) -> str:
    """A printed name as its bearer writes it: in one script. In a Latin name a word
    printed in Cyrillic is romanised ("Baktybek Bатырбаев" -> "Baktybek Batyrbaev");
    in a Cyrillic name a Latin word is left as printed, romanisation being one-way."""
    return one_script(name, rewrite=_romanised)


def _romanised(word: str, to_cyrillic: bool) -> str:
    if to_cyrillic:
        return normalise_letters(word)
    parts = [ch if not is_cyrillic(ch) else transliterate(ch) for ch in word]
    latin = "".join(parts)
    return latin[:1].upper() + latin[1:] if word[:1].isupper() else latin


def transliterate(text: str) -> str:
    """Kazakh/Russian Cyrillic to plain lower-case Latin (readable, not yet folded)."""
    out = []
    prev = " "
    for ch in normalise_letters(text).lower():
        if ch in _TRANSLITERATION:
            lat = _TRANSLITERATION[ch]
            # Word-initial or post-vowel е is "ye" (Ермек -> Yermek, Атаева -> Atayeva).
            if ch == "е" and (not prev.isalpha() or prev in "аәеёиоөуұүыэюяі"):
                lat = "ye"
            out.append(lat)
        elif ch in _LATIN_SPECIAL:
            out.append(_LATIN_SPECIAL[ch])
        else:
            decomposed = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
        prev = ch
    return "".join(out)


_FOLDS = (
    ("shch", "sh"), ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ph", "f"), ("ck", "k"),
    ("ch", "\x01"), ("c", "k"), ("\x01", "ch"), ("q", "k"), ("w", "v"), ("x", "ks"),
    ("ye", "e"), ("yo", "o"), ("y", "i"),
)  # fmt: skip


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Loose match key of a word in any script: transliterate, then fold spellings.

    y/i, kh/h, zh/j/dzh, q/k, c/k, ye/e and doubled letters all fold together,
    so Baissultanova = Байсултанова = Байсұлтанова and Zhumatay = Жұматай.
    j stays apart from i because Kazakh romanisation writes ж as j (Jaksybai).
    """
    s = re.sub(r"[^a-z]", "", transliterate(text))
    for old, new in _FOLDS:
        s = s.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", s)


# ---------------------------------------------------------------- name forms

# Letters a name may begin with and go on in: Latin (with accents), Russian and Kazakh.
_UP = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІÀ-ÖØ-ÞĀ-ŽƏ"
_LO = "a-zа-яёәғқңөұүһіß-öø-ÿā-žə"

_INITIAL_RE = re.compile(rf"^(?:[{_UP}][{_LO}]?\.\s*-?\s*)+$")
_INITIAL_TOKEN_RE = re.compile(rf"([{_UP}][{_LO}]?)\.")
_PATRONYMIC_RE = re.compile(
    r"(?i)(ович|евич|вич|овна|евна|ична|инична|ұлы|улы|қызы|кызы|ovich|evich|ovna|evna|ichna|"
    r"uly|ulu|kyzy|qyzy)$"
)


@dataclass
class NameParts:
    """A printed name split into surname and given names / initials."""

    printed: str
    surname: str
    given: list[str] = field(default_factory=list)  # full given names, "Gabit"
    initials: list[str] = field(default_factory=list)  # as printed, "G", "Sh"
    ambiguous_order: bool = False  # "Gabit Zhumatay": could be either way round


def _initials_of(text: str) -> list[str]:
    return [m.group(1) for m in _INITIAL_TOKEN_RE.finditer(text)]


_HONORIFIC_RE = re.compile(r"(?i)^(?:(?:dr|prof|mr|mrs|ms|professor)\.?\s+)+")


def clean_name(printed: str) -> str:
    """Drop markers (*, ¹, ^{1}, trailing digits) and tidy spacing of a name."""
    s = _HONORIFIC_RE.sub("", printed.strip(" *"))
    s = re.sub(r"\^\{[^{}]*\}", " ", s)
    s = re.sub(f"[{SUPERSCRIPT_DIGITS}*†‡]", " ", s)
    s = re.sub(r"(?<=[.\w])\s*\d+(?:\s*,\s*\d+)*\s*$", "", s)
    s = re.sub(r"^\s*\d+(?:\s*,\s*\d+)*\s+", "", s)
    return collapse_ws(s).strip(" ,;")


@lru_cache(maxsize=2048)
def split_name(printed: str) -> NameParts:
    """Split "Surname I.O.", "I.O. Surname", "Firstname Surname", "Surname First Patronymic".

    A bare two-word Latin name is taken as "Firstname Surname" (western order)
    but marked ambiguous_order; Cyrillic names, patronymics, commas and
    UPPER-CASE surnames say surname-first.
    """
    name = clean_name(printed)
    if "," in name:  # "Zhumatay, Gabit"
        surname, _, rest = name.partition(",")
        given = [w for w in rest.split() if "." not in w]
        return NameParts(name, surname.strip(), given, _initials_of(rest) + [w[0] for w in given])
    words = name.split()
    if not words:
        return NameParts(name, "")
    first_plain = 0
    while first_plain < len(words) and "." in words[first_plain]:
        first_plain += 1
    if first_plain and first_plain < len(words):  # "I.O. Surname"
        lead = " ".join(words[:first_plain])
        return NameParts(name, " ".join(words[first_plain:]), [], _initials_of(lead))
    plain = [w for w in words if "." not in w]
    dotted = " ".join(w for w in words if "." in w)
    if dotted:  # "Surname I.O.", "López Aranguren J. L.", "De Martino M."
        return NameParts(name, " ".join(plain), [], _initials_of(dotted))
    if len(words) == 1:
        return NameParts(name, words[0])
    surname_first = (
        any(is_cyrillic(c) for c in name)
        or bool(_PATRONYMIC_RE.search(words[-1]))
        or (words[0].isupper() and len(words[0]) > 1)
    )
    if surname_first:
        return NameParts(name, words[0], words[1:], [w[0] for w in words[1:]])
    ambiguous = len(words) == 2
    return NameParts(name, words[-1], words[:-1], [w[0] for w in words[:-1]], ambiguous)


def _initial_key(initial: str) -> str:
    """Fold one initial; E/Ye/Yu/Y and Е/Ю/Я/Й all become "y": an English "Y."
    stands for any of them (Yerlan = Ерлан, Yuri = Юрий)."""
    if initial[:1].upper() in "EYЕЁЮЯЭЙ":
        return "y"
    return fold(initial) or initial.lower()


def surname_key(printed: str) -> str:
    """Loose Latin key of the surname ("Жұматай Ғ.Б." -> "jumatai")."""
    return fold(split_name(printed).surname)


def initials_key(printed: str) -> str:
    """Space-separated loose keys of the initials ("Жұматай Ғ.Б." -> "g b")."""
    return " ".join(_initial_key(i) for i in split_name(printed).initials)


def name_key(printed: str) -> str:
    """ "surname first-initial" key; only the first initial, because a patronymic
    initial is printed in Cyrillic bylines but not in English ones."""
    parts = split_name(printed)
    first = _initial_key(parts.initials[0]) if parts.initials else ""
    return f"{fold(parts.surname)} {first}".strip()


@lru_cache(maxsize=2048)
def _variants(printed: str) -> list[tuple[str, list[str]]]:
    parts = split_name(printed)
    result = [(fold(parts.surname), [_initial_key(i) for i in parts.initials])]
    words = clean_name(printed).split()
    plain = [w for w in words if "." not in w]
    if len(plain) == 2 and len(words) > 2 and "." not in words[0]:  # "Kurkumbayev Yermek M."
        result.append((fold(plain[0]), [_initial_key(plain[1][0])] + result[0][1]))
    if 2 <= len(words) <= 4 and all("." not in w for w in words):
        # Full names: the surname may be any run of words ("Хуан Луис Лопес Арангурен").
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                if j - i == len(words) or j - i > 2:
                    continue
                rest = words[:i] + words[j:]
                result.append((fold("".join(words[i:j])), [_initial_key(w[0]) for w in rest]))
    return result


def _initials_compatible(a: list[str], b: list[str]) -> bool:
    if not a or not b:
        return True
    for x, y in zip(a, b, strict=False):
        if x != y and not (x.startswith(y) or y.startswith(x)):
            return False
    return True


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, for near-equal surname keys (typos, odd spellings)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def same_person(a: str, b: str, fuzzy: bool = False) -> bool:
    """Can printed forms a and b be the same person?

    Same surname key (or, with fuzzy, one edit apart for surnames of 7+
    letters) and compatible initials: one list a prefix of the other, so
    "Zhumatay G." matches "Жұматай Ғ.Б." but "Zhumatay A." does not.
    """
    for sa, ia in _variants(a):
        for sb, ib in _variants(b):
            if not sa or not sb:
                continue
            close = sa == sb or (
                fuzzy and min(len(sa), len(sb)) >= 4 and edit_distance(sa, sb) <= 1
            )
            if close and _initials_compatible(ia, ib):
                return True
    return False


_NOT_NAME_WORDS_RE = re.compile(
    rf"(?i)({L.ORGANISATION_WORDS}|"
    r"republic|республик|international|международн|халықаралық|national|национальн|ұлттық|"
    r"\b(?:the|of|and|for|in|on|для|по|және|мен|табл|table|кесте|figure|рис|сурет)\b|көрсеткіш|елдер)"
)


def looks_like_name(text: str) -> bool:
    """Is this short string plausibly one person's printed name?"""
    name = normalise_letters(clean_name(text))
    if not name or len(name) > 60 or re.search(r"[0-9@:;()/]", name):
        return False
    words = name.split()
    if not 1 <= len(words) <= 5:
        return False
    if _INITIAL_RE.match(name.split()[-1] + " ") or any("." in w for w in words):
        plain = [w for w in words if "." not in w]
        dotted = [w for w in words if "." in w]
        return (
            1 <= len(plain) <= 3
            and all(_is_name_word(w) for w in plain)
            and all(_INITIAL_RE.match(w + " ") for w in dotted)
        )
    if _NOT_NAME_WORDS_RE.search(name):
        return False
    if all(w.isupper() and len(w) > 1 for w in words):
        return False  # "WAR IN GAZA": a title line in capitals, not a name
    return 2 <= len(words) <= 4 and all(_is_name_word(w) for w in words)


def _is_name_word(word: str) -> bool:
    parts = re.split(r"[-'’]", word)
    return all(p[:1].isupper() and p.replace("ʼ", "").isalpha() for p in parts if p) and bool(
        parts[0]
    )


# ---------------------------------------------------------------- author lists
# A table of contents entry opens with its authors: "Surname I.I., Surname I. Title".

_PARTICLE = r"(?:[Dd]e|[Vv]an|[Vv]on|[Ee]l|[Aa]l|[Aa]bu|[Ii]bn|[Dd]i|[Ll]a|Де|Ван|Фон|Әл|Аль|Абу)"
_SURNAME = rf"(?:{_PARTICLE}[\s-])?[{_UP}][{_LO}]+(?:['’-][{_UP}]?[{_LO}]+)*"
# a line opening an author list: "Zhumatay G.", "Де Мартино М.", "López Aranguren J. L."
AUTHOR_START_RE = re.compile(
    rf"^\s*{_SURNAME}(?:\s+[{_UP}][{_LO}]+)?\s*,?\s+[{_UP}][{_LO}]?\s?\.(?:\s?-?\s?[{_UP}][{_LO}]?\s?\.?)*"
    rf"(?:\s*[,;]|\s+[{_UP}]|\s*$)"
)


def split_authors_title(text: str) -> tuple[list[str], str]:
    """Split "Surname I.I., Surname I. Title" into (authors, title).

    Handles missing commas ("Sayatbek S.S. Baissultanova K.Ch."), spaced and
    hyphenated initials ("J. L.", "M.-A.K."), multi-word surnames
    ("Де Мартино М."), names printed in full without initials
    ("Raghunath Mahabir, Keron Ganpat. Haiti ...") and a title glued to the
    last initial ("Де Мартино М.О новой роли").
    """
    s = collapse_ws(text)
    pos = 0
    authors: list[str] = []
    n = len(s)
    while pos < n:
        m = _NAME_RE.match(s, pos)
        if not m:
            break
        name_end = m.end()
        name = m.group("name")
        # initials after the surname?
        im = _INI_RE.match(s, name_end)
        words = name.split()
        if im and not (
            # "Eimad Abusham “Soft" - no initials; "Kazakhstan: A" - not a name
            im.group("ini").strip()[:1].islower()
        ):
            ini = im.group("ini")
            stripped = ini.replace(" ", "")
            # bare capital letter without dot (e.g. "Д.Б Түркияның") only if followed by space+Word
            after = im.end()
            glued = None
            if not stripped.endswith(".") and "." not in stripped and len(stripped) > 2:
                break
            # title glued to last initial: "М.О новой" -> initials "М.", title "О новой"
            gm = re.match(rf"\s*([{_LO}])", s[after:])
            if gm and re.search(rf"\.[{_UP}]$", stripped) and not ini.endswith(" "):
                glued = stripped[-1]
                stripped = stripped[:-1]
                after -= 1
            if len(words) > 3:
                # "Surname Firstname Middle I." is unusual; keep it but only as a name
                pass
            authors.append(collapse_ws(f"{name} {_tidy_initials(stripped)}"))
            pos = after
            sep = re.match(r"\s*([,;]|and\b|и\b|және\b)\s*", s[pos:])
            if glued:
                break
            if sep:
                pos += sep.end()
                continue
            # missing comma: next chunk is again "Surname I."
            nxt = AUTHOR_START_RE.match(s[pos:])
            if nxt and starts_with_name(s[pos:]):
                continue
            break
        # a name without initials: accept when followed by "," or ". "
        # and made of 2-4 capitalised words
        tail = s[name_end:]
        if 2 <= len(words) <= 4:
            if re.match(r"\s*[,;]\s*\S", tail):
                authors.append(name)
                pos = name_end + re.match(r"\s*[,;]\s*", tail).end()
                continue
            if re.match(r"\.\s+\S", tail):
                authors.append(name)
                pos = name_end + 1
                break
            if authors and re.match(r"\s+[«“\"'„]", tail):
                authors.append(name)
                pos = name_end
                break
        break
    if not authors:
        return [], s
    title = s[pos:].strip(" .,;:")
    if title.startswith(("«", "“", '"', "„")):
        title = s[pos:].strip(" ,;:")
    return authors, title.rstrip(" .")


_NAME_RE = re.compile(
    rf"\s*(?P<name>{_SURNAME}(?![\w.])"
    rf"(?:\s+[{_UP}][{_LO}]{{2,}}(?:['’-][{_UP}]?[{_LO}]+)*(?!\w)){{0,3}})"
)
_INI_RE = re.compile(
    rf"\s*,?\s*(?P<ini>(?:[{_UP}][{_LO}]?\s?\.\s?-?\s?){{1,3}}"
    rf"(?:(?<=\.)(?![АВИКОСУЯAI])[{_UP}](?=\s))?"
    rf"|[{_UP}][{_LO}]?(?=\s*[,;]))"
)


def starts_with_name(s: str) -> bool:
    """True if s starts like "Surname I." (a second author with no comma)."""
    m = re.match(rf"\s*{_SURNAME}(?:\s+{_SURNAME})?\s+(?:[{_UP}][{_LO}]?\s?\.)", s)
    return bool(m)


def _tidy_initials(ini: str) -> str:
    """'J.L.' stays; 'Д.Б' gets its final dot; stray spaces go."""
    ini = ini.strip().replace(" ", "")
    if not ini.endswith("."):
        ini += "."
    return ini


# ---------------------------------------------------------------- bylines


@dataclass
class BylineName:
    """One name of a byline with its affiliation markers."""

    printed: str  # "Sydyknazarov M.-A.K."
    markers: list[str] = field(default_factory=list)  # ["2"]
    corresponding: bool = False  # starred


_MARKER_RE = re.compile(
    r"\^\{([^{}]*)\}|([" + SUPERSCRIPT_DIGITS + r"]+(?:,[" + SUPERSCRIPT_DIGITS + r"]+)*)"
)


def _split_byline(text: str) -> list[str]:
    """Split on commas/semicolons/and outside ^{...}; rejoin bare marker pieces."""
    pieces: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        if ch in ",;" and depth == 0:
            pieces.append(current)
            current = ""
        else:
            current += ch
    pieces.append(current)
    merged: list[str] = []
    for piece in pieces:
        for part in re.split(r"\s+(?:and|и|және|мен|&)\s+", piece):
            if merged and re.fullmatch(r"[\s\d*" + SUPERSCRIPT_DIGITS + "]*", part):
                merged[-1] += "," + part
            elif part.strip():
                merged.append(part)
    return merged


def parse_byline(line: str) -> list[BylineName]:
    """Parse "*Konyrshin K.F.¹, Sydyknazarov M.-A.K.²" into names with markers.

    Returns [] when any piece does not look like a name: a byline is either
    recognised whole or not at all.
    """
    if len(line) > 400 or line.count(" ") > 50 or not _may_be_byline(line):
        return []
    return list(_parse_byline(line))


_LOWER_OK = {"and", "и", "және", "мен", "dr", "prof", "mr", "mrs", "ms", "professor"}


def _may_be_byline(line: str) -> bool:
    """Cheap necessary condition: every word of a name starts with a capital, so a
    word starting with a small letter (other than "and"/an honorific) rules a line out."""
    for word in re.sub(r"\^\{[^{}]*\}", " ", line).split():
        k = 0
        while k < len(word) and not word[k].isalpha():
            k += 1
        if k < len(word) and word[k].islower():
            if word[k:].rstrip(".,;:*").lower() not in _LOWER_OK:
                return False
    return True


@lru_cache(maxsize=4096)
def _parse_byline(line: str) -> tuple[BylineName, ...]:
    text = line.replace("**", "").replace("__", "")
    text = collapse_ws(text)
    result = []
    for piece in _split_byline(text):
        markers: list[str] = []
        for m in _MARKER_RE.finditer(piece):
            raw = (m.group(1) or m.group(2)).translate(
                str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
            )
            markers += [x for x in re.split(r"[,\s*]+", raw) if x]
            if "*" in raw:
                piece += "*"
        tail = re.search(r"(?<=[.\w])\s*(\d+(?:\s*,\s*\d+)*)\s*\**\s*$", piece)
        if tail and not re.search(r"\d", piece[: tail.start()]):
            markers += re.split(r"\s*,\s*", tail.group(1))
        starred = "*" in piece
        name = clean_name(piece)
        if not looks_like_name(name):
            return ()
        result.append(BylineName(name, markers, starred))
    return tuple(result)
