#!/usr/bin/env python3
"""The job done the way an analyst would without chiso: the fair comparison of docs/performance.md.

Reads a JSON-lines corpus (bench/gen_corpus.py), splits each text into sentences, finds numbers
with a regular expression (Vietnamese decimal commas and thousands dots, an optional % or a money
or count word after them), links each number to the nearest indicator keyword before it in the
sentence (a keyword list), and writes one row per linked number with pyarrow to Parquet (zstd).
No ranges, ranks, periods, places, kinds, de-duplication or validation: far less than chiso does.

    .venv/bin/python bench/baseline.py target/bench/news-100MB.jsonl --out target/bench/baseline.parquet

Prints one JSON line: documents, bytes, rows, seconds, MB/s.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

KEYWORDS = {
    "tăng trưởng": "gdp_growth",
    "grdp": "grdp",
    "gdp": "gdp",
    "hộ nghèo": "poverty_rate",
    "thu ngân sách": "budget_revenue",
    "chi ngân sách": "budget_expenditure",
    "xuất khẩu": "exports",
    "nhập khẩu": "imports",
    "thu nhập bình quân": "income_per_capita",
    "vốn đầu tư": "investment",
    "fdi": "fdi",
    "du lịch": "tourism",
    "lượt khách": "tourist_arrivals",
    "doanh thu": "revenue",
    "bán lẻ": "retail_sales",
    "sản xuất công nghiệp": "industrial_production",
    "lạm phát": "inflation",
    "cpi": "cpi",
    "thất nghiệp": "unemployment_rate",
    "dân số": "population",
    "lao động": "labour",
    "việc làm": "jobs",
}
KEYWORD = re.compile("|".join(sorted(map(re.escape, KEYWORDS), key=len, reverse=True)), re.IGNORECASE)
NUMBER = re.compile(
    r"(?<![\w/])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(%|tỷ đồng|triệu đồng|nghìn tỷ|tỷ USD|triệu USD|USD|đồng|lượt|người|hộ)?",
    re.IGNORECASE,
)
SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


def rows_of(doc_id: str, text: str, out: dict[str, list]) -> None:
    for sentence in SENTENCE.split(text):
        keywords = [(m.end(), KEYWORDS[m.group(0).lower()]) for m in KEYWORD.finditer(sentence)]
        if not keywords:
            continue
        for m in NUMBER.finditer(sentence):
            before = [k for end, k in keywords if end <= m.start()]
            if not before:
                continue
            whole = m.group(1).replace(".", "")
            value = float(whole + ("." + m.group(2) if m.group(2) else ""))
            out["source_id"].append(doc_id)
            out["indicator"].append(before[-1])
            out["value"].append(value)
            out["unit"].append((m.group(3) or "").lower() or None)
            out["quote"].append(sentence)
            out["char_start"].append(m.start())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    started = time.perf_counter()
    schema = pa.schema([
        ("source_id", pa.string()), ("indicator", pa.string()), ("value", pa.float64()),
        ("unit", pa.string()), ("quote", pa.string()), ("char_start", pa.int64()),
    ])
    docs = rows = 0
    size = args.corpus.stat().st_size
    with args.corpus.open(encoding="utf-8") as f, pq.ParquetWriter(args.out, schema, compression="zstd") as w:
        batch = {name: [] for name in schema.names}
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            docs += 1
            rows_of(str(doc.get("id", docs)), doc["text"], batch)
            if len(batch["value"]) >= 100_000:
                rows += len(batch["value"])
                w.write_table(pa.table(batch, schema=schema))
                batch = {name: [] for name in schema.names}
        rows += len(batch["value"])
        w.write_table(pa.table(batch, schema=schema))
    secs = time.perf_counter() - started
    print(json.dumps({"documents": docs, "bytes": size, "rows": rows, "seconds": round(secs, 3),
                      "mb_per_s": round(size / secs / 1e6, 2)}))


if __name__ == "__main__":
    sys.exit(main())
