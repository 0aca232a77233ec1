"""Names: bylines, name forms and cross-script match keys (catalogue.parsing.names)."""

import re
from pathlib import Path

import pytest

from catalogue.parsing.document import parse_document
from catalogue.parsing.names import (
    fold,
    initials_key,
    name_in_one_script,
    name_key,
    parse_byline,
    same_person,
    split_name,
    surname_key,
)

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def test_byline_with_superscript_markers_and_star():
    names = parse_byline("*Konyrshin K.F.¹, Sydyknazarov M.-A.K.²")
    assert [n.printed for n in names] == ["Konyrshin K.F.", "Sydyknazarov M.-A.K."]
    assert [n.markers for n in names] == [["1"], ["2"]]
    assert [n.corresponding for n in names] == [True, False]


def test_byline_with_trailing_digit_and_star_after_name():
    (name,) = parse_byline("Жұматай Ғ.Б.1*")
    assert name.printed == "Жұматай Ғ.Б." and name.markers == ["1"] and name.corresponding


def test_byline_with_brace_markers_keeps_commas_inside():
    names = parse_byline("Gabit Zhumatay^{1,2}, Aigul Kistaubayeva^{2*}")
    assert [n.markers for n in names] == [["1", "2"], ["2"]]
    assert names[1].corresponding and not names[0].corresponding


def test_byline_star_on_second_author_with_space():
    names = parse_byline("Кистаубаева А.К.¹, * Шұқыжанова А.Н.²")
    assert [n.corresponding for n in names] == [False, True]


def test_title_in_capitals_is_not_a_byline():
    assert parse_byline("WAR IN GAZA") == []
    assert parse_byline("Kazakh National University, Almaty, Kazakhstan") == []


def test_transliteration_keys_fold_kazakh_russian_and_latin_spellings():
    assert fold("Baissultanova") == fold("Байсултанова") == fold("Байсұлтанова")
    assert fold("Zhumatay") == fold("Жұматай") == fold("zhumatai")
    assert fold("Sydyknazarov") == fold("Сыдыкназаров") == fold("Сыдықназаров")
    assert fold("Yessirkepova") == fold("Есиркепова")
    assert fold("Zhumatay") != fold("Zhumabay")


def test_surname_and_initials_keys_across_scripts():
    assert surname_key("Zhumatay G.") == surname_key("Жұматай Ғ.Б.")
    assert initials_key("Жұматай Ғ.Б.") == "g b"
    assert name_key("Zhumatay G.") == name_key("Жұматай Ғ.Б.")


def test_split_name_forms():
    assert split_name("Sydyknazarov M.-A.K.").initials == ["M", "A", "K"]
    assert split_name("I.O. Ivanov").surname == "Ivanov"
    assert split_name("Gabit Zhumatay").surname == "Zhumatay"
    full = split_name("Tairova Nassiba Rafikovna")
    assert full.surname == "Tairova" and full.given == ["Nassiba", "Rafikovna"]
    assert split_name("Жұматай Ғабит Бекенұлы").surname == "Жұматай"


def test_same_person_accepts_patronymic_initial_only_in_cyrillic():
    assert same_person("Zhumatay G.", "Жұматай Ғ.Б.")
    assert same_person("Zhumatay Gabit", "Жұматай Ғ.Б.")
    assert same_person("Gabit Zhumatay", "Zhumatay G.")


def test_same_person_rejects_different_first_initial_or_surname():
    assert not same_person("Zhumatay A.", "Жұматай Ғ.Б.")
    assert not same_person("Zhumabayev G.", "Zhumatay G.")


def test_english_y_initial_matches_cyrillic_ye():
    assert same_person("Kurkumbayev Y.M.", "Куркумбаев Е.М.")


def test_compound_surname_with_full_given_names():
    assert same_person("Хуан Луис Лопес Арангурен", "Лопес Арангурен Х. Л.")


@pytest.mark.parametrize(
    "printed, written",
    [
        ("Tulepov М.", "Tulepov M."),  # a Cyrillic М as the initial of a Latin name
        ("Ospanova А.", "Ospanova A."),
        ("Серікова M.-A.K.", "Серікова М.-А.К."),  # Latin initials of a Cyrillic name
        ("Baktybek Bатырбаев", "Baktybek Batyrbayev"),  # a Cyrillic surname in a Latin name
        ("Жұматай Ғ.Б.", "Жұматай Ғ.Б."),
        ("Cox C.", "Cox C."),
    ],
)
def test_a_name_is_written_in_one_script(printed, written):
    assert name_in_one_script(printed) == written


def test_no_name_parsed_from_the_seeds_mixes_scripts():
    latin, cyrillic = re.compile("[A-Za-z]"), re.compile("[\u0400-\u04ff]")
    for path in sorted(SEEDS.glob("*.txt")):
        document = parse_document(path.read_text(encoding="utf-8"), path.name)
        for article in document.articles:
            for author in article.authors:
                for name in [*author.names.values(), *author.full_names.values()]:
                    assert not (latin.search(name) and cyrillic.search(name)), (path.name, name)
