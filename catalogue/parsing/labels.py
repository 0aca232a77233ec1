"""Label words of the trilingual article layout, shared by article.py and split.py.

Each pattern matches at the start of a cleaned line (markdown stripped,
look-alike letters normalised). Label wordings vary between journals and even
between articles, so these lists are deliberately generous.
"""

from __future__ import annotations

import re

_SEP = r"\s*(?:[.:—–\-]+\s*|$|(?=\s))"

ABSTRACT_RE = re.compile(
    r"(?i)^(?:(?:abstract|аннотация|аңдатпа|андатпа|түйіндеме|түйін(?!\s*(?:ді\s*)?сөз))"
    + _SEP
    + r"|(?:annotation|summary|резюме)\s*(?:[.:—–\-]+\s*|$))"
)
KEYWORDS_RE = re.compile(
    r"(?i)^(?:key\s*-?\s*words|keywords|key\s+terms|түйін(?:ді)?\s+сөздер|тірек\s+сөздер|"
    r"кілт(?:ті)?\s+сөздер|негізгі\s+сөздер|ключевые\s+слова)\s*[.:—–\-]*\s*"
)
REFERENCES_RE = re.compile(
    r"(?i)^(?:references|reference\s+list|bibliography|literature|list\s+of\s+references|"
    r"список\s+(?:использованн(?:ой|ых)\s+)?(?:литературы|источников)|литература|"
    r"(?:пайдаланылған\s+)?әдебиет(?:тер)?(?:\s+тізімі)?|"
    r"пайдаланылған\s+дерек(?:тер|көздер)(?:\s+тізімі)?)\s*[.:]?\s*$"
)
AUTHOR_INFO_RE = re.compile(
    r"(?i)^(?:information\s+about\s+(?:the\s+)?authors?|about\s+the\s+authors?|"
    r"authors?['’]?\s+information|author\s+details|"
    r"автор(?:лар)?\s+(?:туралы|жайлы|жайында)\s+(?:мәлімет\w*|ақпарат\w*|мағлұмат\w*)|"
    r"(?:сведени[ея]|информация)\s+об\s+автор(?:ах|е)?|об\s+автор(?:ах|е))\s*[.:]?\s*"
)
RECEIVED_RE = re.compile(
    r"(?i)^(?:received|submitted|мақала\s+(?:редакцияға\s+)?түсті|редакцияға\s+түсті|"
    r"(?:статья\s+)?поступила(?:\s+в\s+редакцию)?|дата\s+поступления)\b"
)
ACCEPTED_RE = re.compile(
    r"(?i)^(?:accepted(?:\s+for\s+publication)?|(?:жариялауға\s+)?қабылданды|"
    r"(?:статья\s+)?принята(?:\s+к\s+(?:печати|публикации))?|одобрена)\b"
)
UDC_RE = re.compile(r"(?i)^(?:UDC|UDK|УДК|ӘОЖ|ӘӨЖ|ЭОЖ|ОӘЖ|ӘОK)\s*[:.]?\s*(.+)$")
IRSTI_RE = re.compile(
    r"(?i)^(?:IRSTI|IRSTE|SRSTI|GRNTI|МРНТИ|ГРНТИ|ХҒТАР|ҒТАМР|МҒТАР|FTAMP|ГТАМР|ХFТАР)"
    r"\s*[:.]?\s*(.+)$"
)
DOI_RE = re.compile(r"(?i)\b(10\.\d{4,9}/[^\s<>\"'«»]+)")
DOI_LINE_RE = re.compile(
    r"(?i)^(?:doi\s*[:.]?\s*)?(?:https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+\s*$"
)
HEADING_WORDS_RE = re.compile(
    r"(?i)^(?:\d+\.?\s*)?(?:introduction|кіріспе|введение|materials\s+and\s+methods|"
    r"description\s+of\s+materials\s+and\s+methods)\s*[.:]?\s*$"
)

ABSTRACT_LABEL_LANG = {"аңдатпа": "kk", "андатпа": "kk", "түйін": "kk", "түйіндеме": "kk"}
KEYWORDS_LABEL_LANG = {"key": "en", "тірек": "kk", "түйін": "kk", "кілт": "kk", "ключевые": "ru"}
AUTHOR_INFO_LABEL_LANG = (
    ("information", "en"),
    ("about", "en"),
    ("author", "en"),
    ("автор", "kk"),  # "Авторлар туралы", "Автор туралы": checked before ru below
    ("сведения", "ru"),
    ("информация", "ru"),
    ("об", "ru"),
)


def label_language(label: str, table: dict[str, str]) -> str:
    """Language a label word implies, "" when it does not say (Аннотация: ru or kk)."""
    first = label.strip().split()[0].lower() if label.strip() else ""
    for word, lang in table.items():
        if first.startswith(word):
            return lang
    return ""


def author_info_language(label: str) -> str:
    low = label.lower()
    if re.search(r"туралы|жайлы|жайында|мәлімет", low):
        return "kk"
    if re.search(r"сведения|информация|об\s+автор", low):
        return "ru"
    if re.search(r"[a-z]", low):
        return "en"
    return ""


def is_label_line(line: str) -> bool:
    """Any structural label that ends a free-text block."""
    return any(
        rx.match(line)
        for rx in (
            ABSTRACT_RE,
            KEYWORDS_RE,
            REFERENCES_RE,
            AUTHOR_INFO_RE,
            RECEIVED_RE,
            ACCEPTED_RE,
            UDC_RE,
            IRSTI_RE,
            DOI_LINE_RE,
        )
    )
