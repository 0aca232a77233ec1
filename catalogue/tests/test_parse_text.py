"""Cleaning utilities of catalogue.parsing.text (plain Python, no Django)."""

from catalogue.parsing.text import (
    detect_language,
    is_running_head,
    join_lines,
    normalise_letters,
    paragraphs,
    strip_markdown,
)


def test_hyphenated_word_across_line_end_is_rejoined():
    assert join_lines(["the develop-", "ment of trade"]) == "the development of trade"


def test_real_hyphen_in_initials_is_kept_across_line_end():
    assert join_lines(["Sydyknazarov M.-", "A.K."]) == "Sydyknazarov M.-A.K."


def test_hyphen_before_capital_is_kept():
    assert join_lines(["post-", "Soviet space"]) == "post-Soviet space"


def test_hyphen_after_known_prefix_is_kept():
    assert join_lines(["socio-", "economic factors"]) == "socio-economic factors"


def test_wrapped_lines_join_with_single_space():
    assert join_lines(["Kazakhstan is  ", "  a state"]) == "Kazakhstan is a state"


def test_paragraphs_split_on_blank_lines():
    assert paragraphs("one\ntwo\n\n three \n") == ["one two", "three"]


def test_strip_markdown_removes_bold_headings_autolinks_and_superscripts():
    text = "## **Abstract** see <https://doi.org/10.1/x> and ^{1,2} *italic*"
    assert strip_markdown(text) == "Abstract see https://doi.org/10.1/x and 1,2 italic"


def test_strip_markdown_can_keep_superscript_markers():
    assert strip_markdown("Zhumatay G.^{1}", keep_superscripts=True) == "Zhumatay G.^{1}"


def test_latin_schwa_in_cyrillic_word_becomes_cyrillic():
    assert normalise_letters("\u0259лем") == "\u04d9лем"


def test_latin_look_alike_in_cyrillic_word_becomes_cyrillic():
    assert normalise_letters("сабaқ") == "сабақ"  # Latin a between б and қ
    assert normalise_letters("Kазақстан") == "Казақстан"  # Latin K before a Kazakh word


def test_cyrillic_look_alike_in_latin_word_becomes_latin():
    assert normalise_letters("Оnlinе сабақ") == "Online сабақ"  # Cyrillic О and е
    assert normalise_letters("Baissultanova K.Сh.") == "Baissultanova K.Ch."
    assert normalise_letters("PARТ I") == "PART I"


def test_word_of_look_alikes_only_follows_its_majority():
    assert normalise_letters("TОP") == "TOP"
    assert normalise_letters("ТOР") == "ТОР"


def test_plain_english_word_is_not_touched():
    assert normalise_letters("Online policy") == "Online policy"


def test_detect_language_tells_kazakh_russian_and_english():
    assert detect_language("Бұл мақалада Қазақстанның сыртқы саясаты қарастырылады") == "kk"
    assert detect_language("В данной статье рассматривается внешняя политика") == "ru"
    assert detect_language("This article examines foreign policy") == "en"


def test_russian_text_with_one_kazakh_name_stays_russian():
    text = (
        "Институт востоковедения имени Р.Б. Сүлейменова проводит исследования в области "
        "международных отношений и регионоведения, а также истории стран Азии и Африки."
    )
    assert detect_language(text) == "ru"


def test_running_heads_and_page_numbers_are_recognised():
    assert is_running_head("193")
    assert is_running_head("BULLETIN of Ablai Khan KazUIRandWL")
    assert is_running_head("Actual problems of cybersecurity .. Number 2 (60) 2025, pp. 10-22")
    assert is_running_head("Zhumatay G.", known=["Zhumatay G."])


def test_reference_entry_mentioning_a_bulletin_is_not_a_running_head():
    line = "[3] Zhiltcov S.S. Politics // Bulletin of Russian university of friendship"
    assert not is_running_head(line)
    assert not is_running_head("Kazakhstan has sought to forge a cohesive national identity.")
