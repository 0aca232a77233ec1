"""Whole journal issues: their articles, matched to the table of contents.

The table of contents (toc.parse_toc) is the skeleton: every TOC entry becomes
exactly one ArticleRecord, in TOC order, with its pages and rubric. The body
is then read for what the TOC cannot give:

* clean issues (article heads with UDC/DOI still in place): the text is cut
  at the heads (split.split_issue) and each piece goes through the per-article parser
  (article.parse_article); the piece is matched to its TOC entry by DOI
  position, title and authors, and disagreements become TOC_MISMATCH;
* scrambled issues (heads lost, blocks out of order): title blocks found in
  the body are matched to TOC titles; an abstract or keyword block is
  attached only when it directly follows a matched title of the same
  language. Anything else is reported as UNATTACHED_BLOCK, never guessed.

DOI inference rule (documented here because editors must be able to trust
it): missing DOIs are inferred as prefix/CODE.year.whole.number.NNN (NNN =
TOC position) only when (a) at least one DOI printed in an article head of
this issue has exactly that shape with this issue's year/whole/number and
every such printed DOI's NNN equals its article's TOC position, or (b) no
head DOI is printed but a reference in the document cites a DOI of the same
journal (a citation naming this journal's series) with the shape
CODE.year.whole.number.NNN for another issue. Inferred DOIs carry
doi_inferred=True and an INFERRED_DOI warning.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from . import article, split
from . import labels as L
from .header import IssueHeader, parse_issue_header
from .names import same_person
from .records import (
    LANGUAGES,
    ArticleRecord,
    AuthorRecord,
    IssueRecord,
    ParseWarning,
    WarningKind,
)
from .text import (
    collapse_ws,
    detect_language,
    is_capitals,
    is_running_head,
    join_lines,
    norm_key,
)
from .toc import Toc, TocEntry, parse_toc

# --------------------------------------------------------------------------
# Helpers shared by both assembly paths
# --------------------------------------------------------------------------


def _similar(a: str, b: str) -> float:
    ka, kb = norm_key(a), norm_key(b)
    if not ka or not kb:
        return 0.0
    sm = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    if sm.real_quick_ratio() < 0.5:
        return 0.0
    return sm.ratio()


def _skeleton(entry: TocEntry) -> ArticleRecord:
    """An ArticleRecord holding what the TOC says about one entry."""
    art = ArticleRecord(
        title=dict(entry.titles),
        position=entry.position,
        first_page=entry.first_page,
        last_page=entry.last_page,
        section=dict(entry.section),
    )
    authors = entry.authors
    count = max((len(v) for v in authors.values()), default=0)
    for i in range(count):
        names = {lang: lst[i] for lang, lst in authors.items() if i < len(lst)}
        art.authors.append(AuthorRecord(position=i + 1, names=names))
    sizes = {len(v) for v in authors.values()}
    if len(sizes) > 1:
        art.warnings.append(
            ParseWarning(
                WarningKind.UNCERTAIN,
                f"TOC languages list different numbers of authors: {sorted(sizes)}",
                field="authors",
            )
        )
    return art


def _fix_implausible_pages(toc: Toc, text: str, warnings: list[ParseWarning]) -> None:
    """Correct a printed page range that breaks the TOC's page order.

    A range that starts before the previous entry ends (a copy-paste slip in
    the TOC) is replaced by the range a running head "Title ... pp. A-B"
    prints for that article, else by the gap between its neighbours.
    """
    entries = toc.entries
    heads = _running_head_ranges(text)
    for k, e in enumerate(entries):
        if e.first_page is None:
            continue
        prev = entries[k - 1] if k else None
        nxt = entries[k + 1] if k + 1 < len(entries) else None
        bad = prev is not None and prev.last_page is not None and e.first_page <= prev.last_page
        if not bad:
            continue
        fixed = None
        for title in e.titles.values():
            for head_title, rng in heads:
                if norm_key(title).startswith(norm_key(head_title)[:40]) and len(head_title) > 15:
                    fixed = rng
                    break
            if fixed:
                break
        if fixed is None and prev is not None and prev.last_page is not None and nxt is not None:
            if nxt.first_page is not None and nxt.first_page - 1 > prev.last_page:
                fixed = (prev.last_page + 1, nxt.first_page - 1)
        if fixed is not None:
            warnings.append(
                ParseWarning(
                    WarningKind.TOC_MISMATCH,
                    f"TOC entry {e.position} prints pages {e.first_page}-{e.last_page}, "
                    f"out of order; using {fixed[0]}-{fixed[1]}",
                    field="pages",
                )
            )
            e.first_page, e.last_page = fixed


_RUNNING_RANGE_RE = re.compile(
    r"^(?P<title>.{10,}?)\s*(?:\.\.+|…)?\s*(?:Number|№|No\.?)\s*\d+\s*\(\d+\)\s*,?\s*\d{4}\s*,?\s*"
    r"(?:pp?\.|С\.|Б\.)\s*(?P<a>\d+)\s*[-–]\s*(?P<b>\d+)\s*$"
)


def _running_head_ranges(text: str) -> list[tuple[str, tuple[int, int]]]:
    """'Title prefix ... Number 2 (60) 2025, pp. 202-214' -> (title prefix, (202, 214))."""
    out = []
    for line in text.splitlines():
        if "pp" not in line and "С." not in line and "Б." not in line:
            continue
        m = _RUNNING_RANGE_RE.match(line.strip())
        if m:
            a, b = int(m.group("a")), int(m.group("b"))
            if a <= b:
                out.append((m.group("title").strip(" ."), (a, b)))
    return out


# --------------------------------------------------------------------------
# DOIs
# --------------------------------------------------------------------------


def _doi_pattern(
    printed: dict[int, str], issue: IssueRecord | None, text: str, series: dict[str, str]
) -> tuple[str, str] | None:
    """(prefix, code) of a positional DOI pattern for this issue, or None (see module doc)."""
    if issue is None or not issue.year or not issue.number or not issue.whole_number:
        return None
    shapes = []
    for pos, doi in printed.items():
        m = L.DOI_SHAPE_RE.match(doi)
        if not m:
            continue
        same_issue = (
            int(m.group("year")) == issue.year
            and m.group("whole") == issue.whole_number
            and m.group("num") == issue.number
        )
        if not same_issue:
            continue
        if int(m.group("pos")) != pos:
            return None  # printed DOIs do not follow TOC order: not positional
        shapes.append((m.group("prefix"), m.group("code")))
    if shapes:
        if len(set(shapes)) == 1:
            return shapes[0]
        return None
    if printed:
        return None
    # rule (b): a citation of this journal's DOI for another issue
    series_keys = [norm_key(s) for s in series.values() if s]
    for line in text.splitlines():
        if "10." not in line:
            continue
        lk = norm_key(line)
        if not any(k and k in lk for k in series_keys):
            continue
        for m in L.DOI_RE.finditer(line):
            shape = L.DOI_SHAPE_RE.match(L.clean_doi(m.group(1)))
            if shape:
                return shape.group("prefix"), shape.group("code")
    return None


def _apply_dois(
    articles: list[ArticleRecord],
    issue: IssueRecord | None,
    text: str,
    series: dict[str, str],
    doc_warnings: list[ParseWarning],
) -> None:
    printed = {a.position: a.doi for a in articles if a.doi and a.position}
    pattern = _doi_pattern(printed, issue, text, series)
    if pattern is None or issue is None:
        return
    prefix, code = pattern
    width = max(
        (
            len(L.DOI_SHAPE_RE.match(d).group("pos"))
            for d in printed.values()
            if L.DOI_SHAPE_RE.match(d)
        ),
        default=3,
    )
    for a in articles:
        if a.doi or not a.position:
            continue
        tail = f"{issue.year}.{issue.whole_number}.{issue.number}.{a.position:0{width}d}"
        a.doi = f"{prefix}/{code}.{tail}"
        a.doi_inferred = True
        a.warnings.append(
            ParseWarning(
                WarningKind.INFERRED_DOI,
                f"DOI not printed; inferred from the issue's DOI pattern: {a.doi}",
                field="doi",
            )
        )


# --------------------------------------------------------------------------
# Clean issues: split at heads, parse each article
# --------------------------------------------------------------------------


def _article_chunks(text: str, lines: list[str], toc_end: int) -> list[str]:
    """Per-article texts after the table of contents."""
    cut = split.split_issue(text)
    toc_end_offset = sum(len(ln) + 1 for ln in lines[:toc_end])
    return [c for c, off in zip(cut.articles, cut.starts, strict=True) if off >= toc_end_offset - 1]


def _chunk_doi(lines: list[str], a: int, b: int) -> str:
    for line in lines[a : min(b, a + 10)]:
        m = L.DOI_RE.search(line)
        if m:
            return L.clean_doi(m.group(1))
    return ""


def _chunk_codes(lines: list[str], a: int, b: int) -> tuple[list[str], list[str]]:
    udc: list[str] = []
    irsti: list[str] = []
    for line in lines[a : min(b, a + 10)]:
        m = L.CODE_LABEL_RE.match(line.strip().strip("*"))
        if not m:
            continue
        vals = [v.strip().rstrip(".") for v in re.split(r"[;,]", m.group("val")) if v.strip()]
        if m.group("label").upper() in ("UDC", "УДК", "ӘОЖ", "ЭОЖ", "ӘӨЖ"):
            udc += vals
        else:
            irsti += vals
    return udc, irsti


def _match_entry(
    rec: ArticleRecord, doi: str, toc: Toc, taken: set[int], issue: IssueRecord | None
) -> TocEntry | None:
    """The TOC entry a parsed article belongs to: DOI position, then title."""
    m = L.DOI_SHAPE_RE.match(doi) if doi else None
    if m and issue is not None and issue.number and m.group("num") == issue.number:
        pos = int(m.group("pos"))
        for e in toc.entries:
            if e.position == pos and pos not in taken:
                if not rec.title or _best_title_score(rec, e) >= 0.5:
                    return e
    best, best_score = None, 0.0
    for e in toc.entries:
        if e.position in taken:
            continue
        score = _best_title_score(rec, e)
        if score > best_score:
            best, best_score = e, score
    if best is not None and best_score >= 0.6:
        return best
    return None


def _best_title_score(rec: ArticleRecord, e: TocEntry) -> float:
    best = 0.0
    for lang, t in rec.title.items():
        toc_t = e.titles.get(lang)
        if toc_t:
            best = max(best, _similar(t, toc_t))
    return best


def _merge(skel: ArticleRecord, rec: ArticleRecord, doc_warnings: list[ParseWarning]) -> None:
    """Fill the TOC skeleton with the parsed article; the head wins, TOC fills gaps."""
    for lang, t in skel.title.items():
        head = rec.title.get(lang)
        if head and _similar(head, t) < 0.9:
            skel.warnings.append(
                ParseWarning(
                    WarningKind.TOC_MISMATCH,
                    f"title differs: TOC {t!r}, head {head!r}",
                    field="title",
                    language=lang,
                )
            )
    merged_title = dict(skel.title)
    merged_title.update({k: v for k, v in rec.title.items() if v})
    skel.title = merged_title
    if rec.authors:
        toc_authors = skel.authors
        if toc_authors:
            for lang in LANGUAGES:
                toc_names = [a.names.get(lang, "") for a in toc_authors]
                head_names = [a.names.get(lang, "") for a in rec.authors]
                if (
                    all(toc_names)
                    and all(head_names)
                    and (
                        len(toc_names) != len(head_names)
                        or not all(
                            same_person(x, y) for x, y in zip(toc_names, head_names, strict=False)
                        )
                    )
                ):
                    skel.warnings.append(
                        ParseWarning(
                            WarningKind.TOC_MISMATCH,
                            f"authors differ: TOC {toc_names}, head {head_names}",
                            field="authors",
                            language=lang,
                        )
                    )
            # fill byline forms the head lacks from the TOC, by position
            for a in rec.authors:
                if a.position - 1 < len(toc_authors):
                    for lang, nm in toc_authors[a.position - 1].names.items():
                        a.names.setdefault(lang, nm)
        skel.authors = rec.authors
    for name in ("abstract", "keywords"):
        val = dict(getattr(skel, name))
        val.update(getattr(rec, name))
        setattr(skel, name, val)
    for name in ("udc", "irsti", "references"):
        if getattr(rec, name):
            setattr(skel, name, getattr(rec, name))
    for name in ("language", "received", "accepted"):
        if getattr(rec, name):
            setattr(skel, name, getattr(rec, name))
    if rec.doi:
        skel.doi = rec.doi
        skel.doi_inferred = rec.doi_inferred
    if rec.section and not skel.section:
        skel.section = rec.section
    for attr in ("first_page", "last_page"):
        got, have = getattr(rec, attr), getattr(skel, attr)
        if got is not None and have is not None and got != have:
            skel.warnings.append(
                ParseWarning(
                    WarningKind.TOC_MISMATCH, f"{attr}: TOC {have}, article {got}", field="pages"
                )
            )
        elif got is not None and have is None:
            setattr(skel, attr, got)
    skel.warnings.extend(rec.warnings)


# --------------------------------------------------------------------------
# Scrambled issues: attach blocks to TOC entries
# --------------------------------------------------------------------------


@dataclass
class _TitleHit:
    line: int  # first line of the title block
    end: int  # line after the title block
    position: int
    lang: str
    score: float


def find_title_blocks(lines: list[str], entries: list[TocEntry], start: int) -> list[_TitleHit]:
    """Title heads in the body (capitals, possibly wrapped) matched to TOC titles."""
    keys = [(e.position, lang, norm_key(t)) for e in entries for lang, t in e.titles.items() if t]
    key_counts = {key: Counter(key) for _, _, key in keys}
    hits: list[_TitleHit] = []
    n = len(lines)
    stripped = [ln.strip().strip("*#").strip() if k >= start else "" for k, ln in enumerate(lines)]
    caps = [bool(t) and len(t) <= 200 and is_capitals(t) for t in stripped]
    i = start
    while i < n:
        if not caps[i]:
            i += 1
            continue
        block = [stripped[i]]
        j = i + 1
        while j < n and len(block) < 6:
            t = stripped[j]
            if not t:
                j += 1
                continue
            if caps[j]:
                block.append(t)
                j += 1
                continue
            break
        text_key = norm_key(join_lines(block))
        best: _TitleHit | None = None
        cand_counts: dict[str, Counter[str]] = {}
        for pos, lang, key in keys:
            if not key or abs(len(key) - len(text_key)) > 0.35 * len(key) + 10:
                if not text_key.startswith(key[:30]):
                    continue
            cand = text_key[: len(key) + 10]
            # difflib's ratio() never exceeds its length and letter-count bounds
            # (real_quick_ratio, quick_ratio); only ratios >= 0.8 are used.
            total = len(key) + len(cand)
            if total and 2.0 * min(len(key), len(cand)) / total < 0.8:
                continue
            counts = cand_counts.get(cand)
            if counts is None:
                counts = cand_counts[cand] = Counter(cand)
            if total and 2.0 * sum((key_counts[key] & counts).values()) / total < 0.8:
                continue
            r = difflib.SequenceMatcher(None, key, cand, autojunk=False).ratio()
            if r >= 0.8 and (best is None or r > best.score):
                best = _TitleHit(i, j, pos, lang, r)
        if best is None and len(text_key) >= 25 and text_key.count(" ") >= 3:
            # a title whose first line was lost: a long, unique piece of one title
            parts = [
                (pos, lang)
                for pos, lang, key in keys
                if text_key in key and len(text_key) >= 0.4 * len(key)
            ]
            if len({p for p, _ in parts}) == 1:
                best = _TitleHit(i, j, parts[0][0], parts[0][1], 0.8)
        if best is not None:
            hits.append(best)
            i = j
        else:
            i += 1
    return hits


def _read_labelled_block(lines: list[str], i: int, stop: int) -> tuple[str, int]:
    """Text of a labelled block starting at line i (label removed), and its end line."""
    stop = min(stop, len(lines))
    paragraphs: list[list[str]] = [[]]
    j = i
    while j < stop:
        s = lines[j].strip()
        if j > i and (L.BODY_STOP_RE.match(s) or L.ABSTRACT_LABEL_RE.match(s) or is_capitals(s)):
            break
        if j > i and not s and j + 1 < stop and not lines[j + 1].strip():
            break
        if s and is_running_head(s):
            j += 1
            continue
        if not s:
            # A blank line after a finished sentence ends a paragraph; one inside a
            # sentence is a page or column break.
            if paragraphs[-1] and paragraphs[-1][-1].rstrip()[-1:] in '.!?»”"':
                paragraphs.append([])
        else:
            paragraphs[-1].append(s)
        j += 1
    return "\n\n".join(join_lines(p) for p in paragraphs if p), j


def _attach_scrambled(
    lines: list[str],
    toc: Toc,
    articles: dict[int, ArticleRecord],
    doc_warnings: list[ParseWarning],
) -> None:
    """Attach abstracts, keywords, UDC/IRSTI and head DOIs by title position."""
    hits = find_title_blocks(lines, toc.entries, toc.end)
    hit_starts = sorted(h.line for h in hits)
    used_abstract_lines: set[int] = set()
    for h in hits:
        art = articles[h.position]
        nxt = next((x for x in hit_starts if x > h.line), len(lines))
        window_end = min(nxt, h.end + 30)
        # head codes and DOI just above the title
        for k in range(max(h.line - 8, toc.end), h.line):
            s = lines[k].strip().strip("<>*")
            m = L.CODE_LABEL_RE.match(s)
            if m:
                vals = [
                    v.strip().rstrip(".") for v in re.split(r"[;,]", m.group("val")) if v.strip()
                ]
                target = (
                    art.udc
                    if m.group("label").upper() in ("UDC", "УДК", "ӘОЖ", "ЭОЖ", "ӘӨЖ")
                    else art.irsti
                )
                for v in vals:
                    if v not in target:
                        target.append(v)
            dm = L.DOI_RE.search(s)
            if (
                dm
                and not art.doi
                and re.match(r"^(?:https?://(?:dx\.)?doi\.org/|DOI\s*:?\s*)?10\.", s, re.I)
            ):
                art.doi = L.clean_doi(dm.group(1))
        if not art.language and any(
            L.CODE_LABEL_RE.match(lines[k].strip()) for k in range(max(h.line - 8, 0), h.line)
        ):
            art.language = h.lang
        # abstract of the same language right after the title + byline
        for k in range(h.end, window_end):
            am = L.ABSTRACT_LABEL_RE.match(lines[k])
            if not am:
                continue
            if not any(h.lang in a.name for au in art.authors for a in au.affiliations):
                head = "\n".join(lines[h.end : k + 1])
                article.attach_byline_affiliations(head, art.authors, h.lang, art.warnings)
            lang, body, end = _abstract_at(lines, k, window_end + 40)
            if lang == h.lang and h.lang not in art.abstract and body:
                _take_abstract(lines, k, end, body, h.lang, art)
                used_abstract_lines.add(k)
                body_lang = _body_language_after(lines, end, nxt)
                if not art.language:
                    art.language = body_lang
                if body_lang:
                    _attach_body_end(lines, end, nxt, art)
            break
    _attach_orphan_abstracts(lines, toc, articles, hits, used_abstract_lines)
    # abstracts nobody could claim
    for k, line in enumerate(lines[toc.end :], toc.end):
        if k in used_abstract_lines:
            continue
        am = L.ABSTRACT_LABEL_RE.match(line)
        if am and len(am.group("rest")) > 20:
            doc_warnings.append(
                ParseWarning(
                    WarningKind.UNATTACHED_BLOCK,
                    f"line {k + 1}: {am.group('label')} block not attached: "
                    f"{collapse_ws(am.group('rest'))[:80]!r}",
                    field="abstract",
                    language=L.label_language(am.group("label")),
                )
            )


def _abstract_at(lines: list[str], k: int, stop: int) -> tuple[str, str, int]:
    """(language, text, end line) of the abstract labelled at line k."""
    am = L.ABSTRACT_LABEL_RE.match(lines[k])
    body, end = _read_labelled_block(lines, k, stop)
    first, _, rest = body.partition("\n\n")
    first = L.ABSTRACT_LABEL_RE.sub(lambda m: m.group("rest"), first, count=1)
    body = f"{first}\n\n{rest}" if rest else first
    lang = detect_language(body) or (L.label_language(am.group("label")) if am else "")
    return lang, body, end


def _take_abstract(
    lines: list[str], k: int, end: int, body: str, lang: str, art: ArticleRecord
) -> None:
    """Attach an abstract and the keyword list printed right after it."""
    art.abstract[lang] = body
    for q in range(end, min(end + 4, len(lines))):
        km = L.KEYWORDS_LABEL_RE.match(lines[q])
        if km:
            kw_text = _read_keyword_block(lines, q)
            kw_text = L.KEYWORDS_LABEL_RE.sub(lambda m: m.group("rest"), kw_text, count=1)
            kws = [w.strip(" .;") for w in re.split(r"[,;]", kw_text) if w.strip(" .;")]
            # a trailing sentence is stray text (a misplaced note), not a keyword
            while kws and len(kws[-1].split()) > 8:
                kws.pop()
            label_lang = L.label_language(km.group("label"))
            if kws and (detect_language(" ".join(kws)) in (lang, "") or label_lang == lang):
                art.keywords[lang] = kws
            break


def _read_keyword_block(lines: list[str], q: int) -> str:
    """A labelled keyword list: it goes on while a line ends with a comma (even
    across a blank line or into a line in capitals), else up to the next break."""
    out: list[str] = []
    j = q
    while j < len(lines) and j < q + 8:
        s = lines[j].strip()
        if j > q:
            cont = bool(out) and out[-1].rstrip().endswith((",", ";", "-"))
            if not s:
                after = lines[j + 1].strip() if j + 1 < len(lines) else ""
                if after and out and not cont and after[0].isalpha() and after[0].islower():
                    # a word cut by a page break: "инвест" / "ициялар"
                    out[-1] = out[-1].rstrip() + after
                    j += 2
                    continue
                if cont and after:
                    j += 1
                    continue
                break
            if is_running_head(s):
                j += 1
                continue
            if not cont and (
                L.BODY_STOP_RE.match(s) or L.ABSTRACT_LABEL_RE.match(s) or is_capitals(s)
            ):
                break
            if (
                L.INTRODUCTION_RE.match(s)
                or L.ABSTRACT_LABEL_RE.match(s)
                or L.KEYWORDS_LABEL_RE.match(s)
            ):
                break
        out.append(s)
        j += 1
    return join_lines(out)


def _body_language_after(lines: list[str], start: int, stop: int) -> str:
    """Language of the body when an Introduction heading follows (before `stop`, and
    before any other abstract): the article's own block sits in its body language."""
    for k in range(start, min(stop, start + 60)):
        s = lines[k].strip()
        if L.ABSTRACT_LABEL_RE.match(s):
            return ""
        if L.INTRODUCTION_RE.match(s) and len(s) < 60:
            body = join_lines(
                [ln.strip() for ln in lines[k + 1 : min(k + 25, len(lines))] if ln.strip()]
            )
            return detect_language(body) if len(body) > 200 else ""
    return ""


def _attach_body_end(lines: list[str], start: int, stop: int, art: ArticleRecord) -> None:
    """References and received/accepted dates printed in an article's own body.

    Called only for a title whose abstract is followed by its Introduction: the
    text up to the next matched title head is that article's body, so a
    reference list or date line in it is the article's.
    """
    if stop <= start:
        return
    chunk = "\n".join(lines[start:stop])
    if not art.references:
        art.references = article.parse_references(chunk)
    received, accepted = article.parse_dates(chunk)
    art.received = art.received or received
    art.accepted = art.accepted or accepted


_STOP_WORDS = re.compile(r"^(?:the|and|for|with|from|into|this|that|және|мен|для|как|при)$")


def _title_words(title: str) -> set[str]:
    return {w for w in norm_key(title).split() if len(w) >= 5 and not _STOP_WORDS.match(w)}


def _attach_orphan_abstracts(
    lines: list[str],
    toc: Toc,
    articles: dict[int, ArticleRecord],
    hits: list[_TitleHit],
    used: set[int],
) -> None:
    """An abstract whose title head was lost, attached to a neighbouring article.

    The candidates are the articles of the title heads just before and just
    after it that still lack an abstract in its language; the abstract goes to
    the one whose TOC title (same language) shares clearly more words with it,
    at least three. Its keywords follow it; an Introduction after it gives the
    article's body language.
    """
    order = sorted(hits, key=lambda h: h.line)
    starts = [h.line for h in order]
    for k in range(toc.end, len(lines)):
        if k in used or not L.ABSTRACT_LABEL_RE.match(lines[k]):
            continue
        prev = [h for h in order if h.line < k]
        after = [h for h in order if h.line > k]
        stop = after[0].line if after else len(lines)
        lang, body, end = _abstract_at(lines, k, stop)
        if not lang or len(body) < 100:
            continue
        cands = {h.position for h in (prev[-1:] + after[:1])}
        words = set(norm_key(body).split())
        scored = []
        for pos in cands:
            art = articles[pos]
            title = art.title.get(lang, "")
            if lang in art.abstract or not title:
                continue
            scored.append((len(_title_words(title) & words), pos))
        scored.sort(reverse=True)
        if not scored or scored[0][0] < 3 or (len(scored) > 1 and scored[1][0] * 2 > scored[0][0]):
            continue
        art = articles[scored[0][1]]
        _take_abstract(lines, k, end, body, lang, art)
        used.add(k)
        art.warnings.append(
            ParseWarning(
                WarningKind.UNCERTAIN,
                f"{lang} abstract printed without its title; attached by position and "
                "by the words it shares with the TOC title",
                field="abstract",
                language=lang,
            )
        )
        nxt = next((x for x in starts if x > k), len(lines))
        body_lang = _body_language_after(lines, end, nxt)
        if not art.language:
            art.language = body_lang
        if body_lang:
            _attach_body_end(lines, end, nxt, art)


# --------------------------------------------------------------------------
# Entry point for issues
# --------------------------------------------------------------------------


@dataclass
class IssueParse:
    """Result of parse_issue, ready to be wrapped in a DocumentRecord."""

    header: IssueHeader
    articles: list[ArticleRecord]
    warnings: list[ParseWarning]
    scrambled: bool


def parse_issue(text: str, toc: Toc | None = None) -> IssueParse:
    """Parse a whole issue that has a table of contents.

    Every TOC entry yields exactly one article, in TOC order.
    """
    toc = toc or parse_toc(text)
    if toc is None:
        raise ValueError("no table of contents")
    lines = text.splitlines()
    header = parse_issue_header(text, front_end=toc.start)
    warnings: list[ParseWarning] = []
    _fix_implausible_pages(toc, text, warnings)
    skeletons = {e.position: _skeleton(e) for e in toc.entries}

    matched = 0
    taken: set[int] = set()
    parsed: list[tuple[int, ArticleRecord, str]] = []
    chunks = _article_chunks(text, lines, toc.end)
    # Too few heads for the TOC: the body is scrambled, and per-chunk parsing
    # would only mix articles (and cost time); read the heads alone.
    few_heads = len(chunks) < 0.8 * len(toc.entries)
    for chunk in chunks:
        clines = chunk.splitlines()
        a, b = 0, len(clines)
        doi = _chunk_doi(clines, a, b)
        rec = None if few_heads else article.parse_article(chunk)
        if rec is None:
            rec = ArticleRecord(doi=doi)
            rec.udc, rec.irsti = _chunk_codes(clines, a, b)
        if doi and not rec.doi:
            rec.doi = doi
        entry = _match_entry(rec, rec.doi or doi, toc, taken, header.issue)
        if entry is None and rec.doi:
            m = L.DOI_SHAPE_RE.match(rec.doi)
            if m and header.issue and m.group("num") == header.issue.number:
                entry = next((e for e in toc.entries if e.position == int(m.group("pos"))), None)
                if entry is not None and entry.position in taken:
                    entry = None
        if entry is None:
            warnings.append(
                ParseWarning(
                    WarningKind.UNATTACHED_BLOCK,
                    f"article head at line {a + 1} matches no TOC entry"
                    + (f" (DOI {rec.doi})" if rec.doi else ""),
                )
            )
            continue
        taken.add(entry.position)
        parsed.append((entry.position, rec, chunk))
        matched += 1

    scrambled = few_heads or matched < 0.8 * len(toc.entries)
    if scrambled:
        # Per-chunk parsing would mix blocks of different articles: keep only
        # what sits in the head itself (DOI, UDC, IRSTI).
        for pos, rec, _chunk in parsed:
            skel = skeletons[pos]
            if rec.doi:
                skel.doi = rec.doi
            skel.udc = skel.udc or list(rec.udc)
            skel.irsti = skel.irsti or list(rec.irsti)
        _attach_scrambled(lines, toc, skeletons, warnings)
    else:
        for pos, rec, _chunk in parsed:
            _merge(skeletons[pos], rec, warnings)
        for e in toc.entries:
            if e.position not in taken:
                skeletons[e.position].warnings.append(
                    ParseWarning(
                        WarningKind.MISSING_FIELD,
                        "no article head found in the body for this TOC entry",
                    )
                )
    articles = [skeletons[e.position] for e in toc.entries]
    _apply_dois(articles, header.issue, text, header.series, warnings)
    return IssueParse(header=header, articles=articles, warnings=warnings, scrambled=scrambled)
