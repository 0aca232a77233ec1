"""Search keys shared by ingestion (which stores them) and the public search (which queries them).

A name's search key is its transliterated, spelling-folded Latin form, so
"Жұматай Ғ.Б.", "Zhumatay G." and "zhumatai" meet on one key that trigram
similarity can compare.
"""

import re

from .ingest.names import fold


def search_key(text: str) -> str:
    """ "Жұматай Ғ.Б." -> "jumatai g b": one folded token per word or initial."""
    return " ".join(
        token for token in (fold(word) for word in re.split(r"[\s.,;\-]+", text)) if token
    )
