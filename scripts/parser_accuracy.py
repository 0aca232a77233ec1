"""Score the document parser on the seed documents against the hand-checked expectations.

    .venv/bin/python scripts/parser_accuracy.py          # table per field and document
    .venv/bin/python scripts/parser_accuracy.py -v       # ... plus every mismatch
    .venv/bin/python scripts/parser_accuracy.py 001 -v   # one document

Seeds are fixtures/seeds/NNN_*.txt, expectations catalogue/tests/data/expected/NNN.json
(format in that folder's README.md). Scoring: catalogue/tests/scoring.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalogue.parsing.document import parse_document  # noqa: E402
from catalogue.tests.scoring import Score, format_table, score_document  # noqa: E402

SEEDS = ROOT / "fixtures" / "seeds"
EXPECTED = ROOT / "catalogue" / "tests" / "data" / "expected"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("docs", nargs="*", help="document numbers (default: every expectation)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the mismatches")
    args = ap.parse_args(argv)
    names = args.docs or sorted(p.stem for p in EXPECTED.glob("*.json"))
    scores: dict[str, Score] = {}
    times: dict[str, float] = {}
    for name in names:
        expected = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
        path = SEEDS / expected["document"]
        text = path.read_text(encoding="utf-8")
        t0 = time.perf_counter()
        record = parse_document(text, path.name)
        times[name] = time.perf_counter() - t0
        scores[name] = score_document(record, expected)
    print(format_table(scores))
    print("parse time".ljust(20) + "".join(f"{times[n]:.2f} s".rjust(12) for n in names))
    if args.verbose:
        for name in names:
            mism = scores[name].mismatches
            print(f"\n{name}: {len(mism)} mismatches")
            for c in mism:
                print("  " + c.describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
