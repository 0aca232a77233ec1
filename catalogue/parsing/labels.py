"""The label vocabulary: every word that marks a part of an article, in every spelling.

Label wordings vary between journals and even between articles, so these
lists are deliberately generous; a spelling found in a new document is added
here, and every part of the parser knows it.
"""

from __future__ import annotations

import re

# The words of each label, once. Two kinds of pattern are built from them:
# *_RE match a cleaned line (markdown stripped, look-alike letters
# normalised), as the article parser reads it; *_LABEL_RE match a raw line of
# a scrambled issue, where markdown stars may still be around the label and a
# "." or ":" must follow it, and give the label and the rest of the line.
ABSTRACT_WORDS = (
    r"abstract|absrtact|abstarct|аннотация|аңдатпа|андатпа|түйіндеме"
    r"|түйін(?!\s*(?:ді\s*)?сөз)"
)
# Words that are an abstract label only when a separator or the line's end follows.
ABSTRACT_WEAK_WORDS = r"annotation|summary|резюме"
KEYWORDS_WORDS = (
    r"key\s*-?\s*words|keywords|key\s+terms|түйін(?:ді)?\s+сөздер|тірек\s+сөздер"
    r"|кілт(?:ті)?\s+сөздер|негізгі\s+сөздер|ключевые\s+слова"
)
REFERENCES_WORDS = (
    r"references|reference\s+list|bibliography|literature|list\s+of\s+references"
    r"|список\s+(?:использованн(?:ой|ых)\s+)?(?:литературы|источников)|литература"
    r"|(?:пайдаланылған\s+)?әдебиет(?:тер)?(?:\s+тізімі)?"
    r"|пайдаланылған\s+дерек(?:тер|көздер)(?:\s+тізімі)?"
)
UDC_WORDS = r"UDC|UDK|УДК|ӘОЖ|ӘӨЖ|ЭОЖ|ОӘЖ|ӘОK"
IRSTI_WORDS = r"IRSTI|IRSTE|SRSTI|GRNTI|МРНТИ|ГРНТИ|ХҒТАР|ҒТАМР|МҒТАР|FTAMP|ГТАМР|ХFТАР"
INTRODUCTION_WORDS = r"introduction|введение|кіріспе|kiriспе"
FUNDING_WORDS = r"funding|финансирование|қаржыландыру"
# Word stems that mark an organisation's name (an affiliation line, never a person).
ORGANISATION_WORDS = (
    r"universit|университет|institut|институт|academ|академи|college|колледж|school|мектеб"
    r"|center|centre|центр|орталы|museum|музей|ministry|министр|authority|department|кафедра"
    r"|faculty|факультет"
)

_SEP = r"\s*(?:[.:—–\-]+\s*|$|(?=\s))"

ABSTRACT_RE = re.compile(
    rf"(?i)^(?:(?:{ABSTRACT_WORDS}){_SEP}|(?:{ABSTRACT_WEAK_WORDS})\s*(?:[.:—–\-]+\s*|$))"
)
KEYWORDS_RE = re.compile(rf"(?i)^(?:{KEYWORDS_WORDS})\s*[.:—–\-]*\s*")
REFERENCES_RE = re.compile(rf"(?i)^(?:{REFERENCES_WORDS})\s*[.:]?\s*$")
ABSTRACT_LABEL_RE = re.compile(
    rf"(?i)^\s*(?:\*\*)?(?P<label>{ABSTRACT_WORDS}|{ABSTRACT_WEAK_WORDS})(?:\*\*)?"
    r"\s*[.:]\s*(?P<rest>.*)$"
)
KEYWORDS_LABEL_RE = re.compile(
    rf"(?i)^\s*(?:\*\*)?(?P<label>{KEYWORDS_WORDS})(?:\*\*)?\s*[.:]\s*(?P<rest>.*)$"
)
# A code line at an article's head, as printed: "UDC 327", "**МРНТИ:** 11.25".
CODE_LABEL_RE = re.compile(
    rf"^\s*(?:\*\*)?(?P<label>{UDC_WORDS}|{IRSTI_WORDS})\b\s*:?\s*(?P<val>.*)$"
)
# The end of a free-text block in a scrambled issue: the body or the keywords begin.
BODY_STOP_RE = re.compile(rf"(?i)^\s*(?:{INTRODUCTION_WORDS}|{KEYWORDS_WORDS}|{FUNDING_WORDS})\b")
# The first heading of an article's body, perhaps numbered or marked up.
INTRODUCTION_RE = re.compile(rf"(?i)^\s*(?:[#*]+\s*)?(?:\d\.?\s*)?(?:{INTRODUCTION_WORDS})\b")
# Where a table of contents ends: an article's head (codes, a DOI, an abstract label).
ARTICLE_HEAD_RE = re.compile(
    rf"(?i)^\s*(?:{UDC_WORDS}|{IRSTI_WORDS}|JEL)\b|doi\.org/|^\s*DOI\s*:?\s*10\."
    rf"|^\s*(?:{ABSTRACT_WORDS}|резюме)\s*[.:]"
)
# Signs that a document holds an article: two of these, or a DOI.
ARTICLE_SIGN_RE = re.compile(
    rf"(?im)^\s*(?:\*\*)?(?:{ABSTRACT_WORDS}|{KEYWORDS_WORDS}|{REFERENCES_WORDS}|{UDC_WORDS})\b"
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
UDC_RE = re.compile(rf"(?i)^(?:{UDC_WORDS})\s*[:.]?\s*(.+)$")
IRSTI_RE = re.compile(rf"(?i)^(?:{IRSTI_WORDS})\s*[:.]?\s*(.+)$")

# An issue designation as printed: number (whole number) year, "4 (62) 2025".
ISSUE_DESIGNATION_RE = re.compile(r"\d{1,2}\s*\(\s*\d{1,4}\s*\)\s*,?\s*(?:19|20)\d\d")

# The words of an issue's designation, as running heads and citations print them:
# "Vol. 12, No. 3, 2024", "Т. 5, № 1", "Volume 12, Issue 3", "С. 45–58", "pp. 45-58".
VOLUME_WORDS = r"Vol\.?|Volume|Т\.|Том|Tom\.?"
NUMBER_WORDS = r"No\.?|Nо\.?|№|Number|Issue|Iss\.|Вып\.?|Выпуск|Нөмір|Номер|N\b\.?"
PAGES_WORDS = r"pp?\.|Pages|P\.|С\.|с\.|Б\.|б\.|Бб\.|бб\.|Стр\.|стр\."
# A "for citation" line: how the article asks to be cited (journal, year, volume, pages).
CITATION_WORDS = (
    r"для\s+цитирования|цитирование|ссылка\s+на\s+статью|дәйексөз\s+үшін|дәйексөздер\s+үшін"
    r"|сілтеме\s+жасау\s+үшін|мақалаға\s+сілтеме|cite\s+this\s+article|to\s+cite\s+this\s+article"
    r"|how\s+to\s+cite(?:\s+this\s+article)?|for\s+citation|citation"
)
CITATION_RE = re.compile(rf"(?i)^\s*(?:\*\*)?(?:{CITATION_WORDS})(?:\*\*)?\s*[:.]\s*(?:\*\*)?\s*")

# ---------------------------------------------------------------- DOIs

# Brackets end a DOI (markdown links, citations in parentheses) unless the DOI
# opens them itself and closes them inside: 10.1016/S0140-6736(20)30183-5.
DOI_RE = re.compile(r"(?i)\b(10\.\d{4,9}/(?:[^\s<>\"'«»()\[\]]|\([^\s()]*\))+)")
DOI_LINE_RE = re.compile(
    r"(?i)^(?:doi\s*[:.]?\s*)?(?:https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+\s*$"
)
# A DOI that says where its article is: prefix/CODE.year.whole.number.position.
DOI_SHAPE_RE = re.compile(
    r"^(?P<prefix>10\.\d{4,9})/(?P<code>[A-Za-z][A-Za-z0-9-]*)\.(?P<year>\d{4})\."
    r"(?P<whole>\d{1,4})\.(?P<num>\d{1,2})\.(?P<pos>\d{2,4})$"
)


def clean_doi(raw: str) -> str:
    """The DOI in a printed string: no URL, no trailing punctuation or markup."""
    m = DOI_RE.search(raw)
    return m.group(1).rstrip(".,;:*") if m else ""


# ---------------------------------------------------------------- headings and languages

HEADING_WORDS_RE = re.compile(
    r"(?i)^(?:\d+\.?\s*)?(?:introduction|кіріспе|введение|materials\s+and\s+methods|"
    r"description\s+of\s+materials\s+and\s+methods)\s*[.:]?\s*$"
)

# The language a label's first word implies; Аннотация is printed in Kazakh and
# Russian articles alike, so it does not say.
LABEL_LANGUAGE = {
    "abstract": "en",
    "absrtact": "en",
    "abstarct": "en",
    "annotation": "en",
    "summary": "en",
    "key": "en",
    "аңдатпа": "kk",
    "андатпа": "kk",
    "түйін": "kk",
    "тірек": "kk",
    "кілт": "kk",
    "негізгі": "kk",
    "резюме": "ru",
    "ключевые": "ru",
}


def label_language(label: str) -> str:
    """Language an abstract or keywords label implies, "" when it does not say."""
    first = label.strip().strip("*").split()[0].lower() if label.strip().strip("*") else ""
    for word, lang in LABEL_LANGUAGE.items():
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
            CITATION_RE,
        )
    )
