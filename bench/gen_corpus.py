#!/usr/bin/env python3
"""Generate a realistic Vietnamese news corpus of any size, as JSON lines.

Every document recombines real paragraphs (the Lào Cai interview in pipelines/lao-cai/sources and
the development corpus in tests/golden/dev-corpus/docs) and varies what de-duplication would
otherwise collapse: each number is rewritten (same shape: decimal commas, thousands dots, ranges
and ranks stay well-formed), each province name is swapped for another province of the gazetteer
(crates/transform/data/gazetteer/units.csv), and each year is shifted. Months, quarters and days
stay in the calendar. Paragraphs with and without numbers are drawn alike, as news has both;
--numbers-only draws from the paragraphs holding a digit only (denser in numbers). Each line is

    {"id": "doc-000001", "url": "https://bao.example.vn/…", "published": "2023-04-02",
     "geo": "VN-02", "text": "…"}

The output depends only on --seed, --size and --numbers-only, so benchmarks are repeatable:

    python3 bench/gen_corpus.py --size 100MB --out target/bench/news-100MB.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "pipelines/lao-cai/sources", ROOT / "tests/golden/dev-corpus/docs"]
UNITS = ROOT / "crates/transform/data/gazetteer/units.csv"

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")


def parse_size(text: str) -> int:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMG]?)B?", text.strip().upper())
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 100MB or 1GB")
    return int(float(m.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[m.group(2)])


def paragraphs(numbers_only: bool) -> list[str]:
    """Every source paragraph of at least 60 characters (headings and captions are shorter), or
    with `numbers_only` only those holding a digit."""
    out = []
    for directory in SOURCES:
        for path in sorted(directory.glob("*.txt")):
            for block in path.read_text(encoding="utf-8").split("\n"):
                block = block.strip()
                if len(block) >= 60 and (not numbers_only or any(c.isdigit() for c in block)):
                    out.append(block)
    if not out:
        sys.exit("no source paragraphs found under " + ", ".join(map(str, SOURCES)))
    return out


def provinces() -> list[tuple[str, str]]:
    """(ISO code, name) of every current province and city."""
    with UNITS.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["kind"] in ("province", "city") and not r["valid_to"]]
    return [(r["code"], r["name"]) for r in rows]


def vary_number(rng: random.Random, token: str) -> str:
    """A number of the same shape: same separators, same digit-group lengths, other digits."""
    if YEAR.fullmatch(token):
        return token  # years are shifted separately, so periods stay coherent
    out = []
    for i, ch in enumerate(token):
        if ch.isdigit():
            lead = i == 0 or not token[i - 1].isdigit()
            out.append(str(rng.randint(1, 9)) if lead and ch != "0" else str(rng.randint(0, 9)))
        else:
            out.append(ch)
    return "".join(out)


# A month, quarter or day number, and a count of months ("9 tháng đầu năm"): varied within the
# calendar, so that no "tháng 73" or "54 tháng" reaches the corpus.
CALENDAR_BEFORE = re.compile(r"(?:tháng|quý|ngày)\s+$", re.IGNORECASE)
MONTHS_AFTER = re.compile(r"\s+tháng\b", re.IGNORECASE)
CALENDAR_LIMIT = {"tháng": 12, "quý": 4, "ngày": 28}


def vary(rng: random.Random, m: re.Match[str]) -> str:
    """Dates (04/02/2021), ranks (4/14), document numbers (316/QĐ-TTg) and names (Covid-19)
    keep their digits; months, quarters and days stay in the calendar; every other number gets
    new ones."""
    s, start, end = m.string, m.start(), m.end()
    before = s[start - 1] if start > 0 else " "
    after = s[end] if end < len(s) else " "
    if before in "/-" or after == "/" or before.isalpha():
        return m.group(0)
    token = m.group(0)
    if token.isdigit():
        word = CALENDAR_BEFORE.search(s, max(0, start - 8), start)
        if word:
            limit = CALENDAR_LIMIT[word.group(0).split()[0].lower()]
            return str(rng.randint(1, limit)) if int(token) <= limit else token
        if int(token) <= 12 and MONTHS_AFTER.match(s, end):
            return str(rng.randint(1, 12))
    return vary_number(rng, token)


def make_document(rng: random.Random, paras: list[str], places: list[tuple[str, str]],
                  names: re.Pattern[str], n: int) -> dict[str, str]:
    code, name = rng.choice(places)
    shift = rng.randint(-6, 2)
    chosen = rng.sample(paras, k=min(len(paras), rng.randint(3, 9)))
    body = []
    for p in chosen:
        p = names.sub(lambda m: rng.choice(places)[1] if rng.random() < 0.5 else name, p)
        p = YEAR.sub(lambda m: str(int(m.group(0)) + shift), p)
        p = NUMBER.sub(lambda m: vary(rng, m), p)
        body.append(p)
    year = 2023 + shift
    published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    title = f"{name}: kinh tế - xã hội năm {year - 1} và kế hoạch năm {year}"
    return {
        "id": f"doc-{n:07d}",
        "url": f"https://bao.example.vn/kinh-te/{n}.html",
        "published": published,
        "geo": code,
        "text": title + "\n" + "\n".join(body),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=parse_size, required=True, help="bytes of JSON lines to write, e.g. 100MB, 1GB")
    ap.add_argument("--out", type=Path, required=True, help="the .jsonl file to write")
    ap.add_argument("--seed", type=int, default=20230402)
    ap.add_argument("--numbers-only", action="store_true",
                    help="recombine only the paragraphs holding a digit (a denser corpus: 16 number "
                         "mentions per KB instead of 12; sessions 1 to 8 benchmarked this one)")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    paras = paragraphs(args.numbers_only)
    places = provinces()
    names = re.compile("|".join(sorted((re.escape(n) for _, n in places), key=len, reverse=True)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    n = 0
    with args.out.open("w", encoding="utf-8") as out:
        while written < args.size:
            n += 1
            line = json.dumps(make_document(rng, paras, places, names, n), ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
    print(f"{args.out}: {n} documents, {written} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
