"""Damaged seed documents never crash ingestion and never leave half a document behind.

Each variant of a seed (truncated, lines shuffled, mixed encodings) either loads or
is refused with a one-line CommandError; when refused, no table of the catalogue
has gained or lost a row. The variants are drawn from fixed random seeds, so a
failure is reproducible, and there are few of them, so the test stays quick.
"""

import random
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

SEED_FILES = ["001_8d26e6e43fb1402a.txt", "003_fdd0b68bd806740f.txt", "004_5cc4925e9724fd50.txt"]


def truncated(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]  # may cut a UTF-8 character in half


def shuffled(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    rng.shuffle(lines)
    return b"\n".join(lines)


def mixed_encoding(data: bytes, rng: random.Random) -> bytes:
    """Some lines re-encoded as cp1251 (or Latin-1 mojibake), the rest left in UTF-8."""
    out = []
    for line in data.split(b"\n"):
        if rng.random() < 0.3:
            text = line.decode("utf-8", errors="replace")
            encoding = rng.choice(["cp1251", "latin-1"])
            line = text.encode(encoding, errors="replace")
        out.append(line)
    return b"\n".join(out)


def spliced(data: bytes, rng: random.Random) -> bytes:
    """A block of lines moved elsewhere and a random run of bytes dropped."""
    lines = data.split(b"\n")
    start = rng.randrange(len(lines))
    block = lines[start : start + rng.randrange(1, 80)]
    del lines[start : start + len(block)]
    at = rng.randrange(len(lines) + 1)
    lines[at:at] = block
    joined = b"\n".join(lines)
    cut = rng.randrange(len(joined))
    return joined[:cut] + joined[cut + rng.randrange(1, 2000) :]


VARIANTS = [
    ("004_5cc4925e9724fd50.txt", truncated, 1),
    ("001_8d26e6e43fb1402a.txt", truncated, 2),
    ("004_5cc4925e9724fd50.txt", shuffled, 3),
    ("003_fdd0b68bd806740f.txt", shuffled, 4),
    ("004_5cc4925e9724fd50.txt", mixed_encoding, 5),
    ("003_fdd0b68bd806740f.txt", mixed_encoding, 6),
    ("001_8d26e6e43fb1402a.txt", spliced, 7),
    ("004_5cc4925e9724fd50.txt", spliced, 8),
]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("catalogue").get_models()
    }


@pytest.mark.parametrize(
    "name, damage, seed", VARIANTS, ids=[f"{v[1].__name__}-{v[2]}" for v in VARIANTS]
)
def test_damaged_document_loads_or_is_refused_whole(seeds, tmp_path, name, damage, seed):
    data = damage((seeds / name).read_bytes(), random.Random(seed))
    path = tmp_path / f"damaged-{seed}-{name}"
    path.write_bytes(data)
    before = row_counts()
    out, err = StringIO(), StringIO()
    try:
        call_command(
            "ingest", str(path), journal="Fuzz journal", verbosity=0, stdout=out, stderr=err
        )
    except CommandError as error:
        message = str(error)
        assert "\n" not in message.strip(), message
        assert "Traceback" not in err.getvalue()
        [line] = err.getvalue().strip().splitlines()  # one line naming the file and the problem
        assert line.startswith(str(path))
        assert row_counts() == before, "a refused document left records behind"
    else:
        assert "Traceback" not in err.getvalue()
