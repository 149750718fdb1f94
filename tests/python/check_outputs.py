#!/usr/bin/env python3
"""Check chiso's Parquet outputs with the readers data people use.

Usage: check_outputs.py OUTPUT_DIR

Opens indicators.parquet, mentions.parquet and validation.parquet in OUTPUT_DIR with pyarrow
and polars (and pandas and duckdb when they are installed), asserts the column types that
docs/data-dictionary.md documents and the key-value metadata, prints a short summary and exits
non-zero with a message naming the file and column on any mismatch.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Column -> (type class, nullable). Type classes: str (string or dictionary<string>), date
# (date32), f64, i32, i64, rows (validation's list<struct>). Keep in step with
# docs/data-dictionary.md (generated from chiso_load::datapackage()).
EXPECTED: dict[str, list[tuple[str, str, bool]]] = {
    "indicators": [
        ("source_id", "str", False),
        ("indicator", "str", False),
        ("geo_code", "str", True),
        ("geo_name", "str", True),
        ("period_start", "date", True),
        ("period_end", "date", True),
        ("period_label", "str", True),
        ("measure", "str", False),
        ("kind", "str", False),
        ("comparator", "str", False),
        ("value", "f64", True),
        ("value_low", "f64", False),
        ("value_high", "f64", False),
        ("unit", "str", False),
        ("rank_total", "i32", True),
        ("of_total", "f64", True),
        ("rank_group", "str", True),
        ("quote", "str", False),
        ("char_start", "i64", False),
        ("char_end", "i64", False),
        ("occurrences", "i32", False),
    ],
    "mentions": [
        ("source_id", "str", False),
        ("mention_index", "i32", False),
        ("kind", "str", False),
        ("text", "str", False),
        ("char_start", "i64", False),
        ("char_end", "i64", False),
        ("value_low", "f64", True),
        ("value_high", "f64", True),
        ("unit", "str", True),
        ("comparator", "str", False),
        ("rank_total", "i32", True),
        ("of_total", "f64", True),
        ("counted_noun", "str", True),
        ("period_start", "date", True),
        ("period_end", "date", True),
        ("period_label", "str", True),
        ("reading", "str", True),
        ("indicator", "str", True),
        ("sentence", "str", False),
    ],
    "validation": [
        ("rule_id", "str", False),
        ("rule_kind", "str", False),
        ("severity", "str", False),
        ("status", "str", False),
        ("observed", "f64", True),
        ("expected", "f64", True),
        ("message", "str", False),
        ("rows", "rows", False),
    ],
}

ROW_FIELDS = [
    ("source_id", "str"),
    ("indicator", "str"),
    ("geo_code", "str"),
    ("period_label", "str"),
    ("value_low", "f64"),
    ("value_high", "f64"),
    ("quote", "str"),
]

REQUIRED_KEYS = [
    "chiso.schema_version",
    "chiso.tool_version",
    "chiso.pipeline",
    "chiso.pipeline_sha256",
    "chiso.inputs",
]

ALLOWED = {
    ("validation", "severity"): {"warn", "error"},
    ("validation", "status"): {"pass", "fail", "skip", "error"},
}


class Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.notes: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def note(self, message: str) -> None:
        self.notes.append(message)


def pyarrow_type_ok(pa, t, cls: str) -> bool:
    if cls == "str":
        if pa.types.is_dictionary(t):
            return pa.types.is_string(t.value_type) or pa.types.is_large_string(t.value_type)
        return pa.types.is_string(t)
    if cls == "date":
        return t == pa.date32()
    if cls == "f64":
        return t == pa.float64()
    if cls == "i32":
        return t == pa.int32()
    if cls == "i64":
        return t == pa.int64()
    if cls == "rows":
        if not pa.types.is_list(t) or not pa.types.is_struct(t.value_type):
            return False
        struct = t.value_type
        names = [struct.field(i).name for i in range(struct.num_fields)]
        if names != [n for n, _ in ROW_FIELDS]:
            return False
        return all(pyarrow_type_ok(pa, struct.field(n).type, c) for n, c in ROW_FIELDS)
    raise ValueError(cls)


def check_pyarrow(ck: Checker, table_name: str, path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    where = f"{path.name} (pyarrow)"
    table = pq.read_table(path)
    expected = EXPECTED[table_name]
    names = table.schema.names
    if names != [n for n, _, _ in expected]:
        ck.fail(where, f"columns are {names}, expected {[n for n, _, _ in expected]}")
        return table
    for name, cls, nullable in expected:
        field = table.schema.field(name)
        if not pyarrow_type_ok(pa, field.type, cls):
            ck.fail(where, f"column {name} has type {field.type}, expected {cls}")
        if field.nullable != nullable:
            ck.fail(where, f"column {name} nullable={field.nullable}, expected {nullable}")
        if not nullable and table.column(name).null_count:
            ck.fail(where, f"column {name} is declared non-null but holds nulls")
    for (t, col), allowed in ALLOWED.items():
        if t == table_name and table.num_rows:
            seen = set(table.column(col).cast(pa.string()).to_pylist())
            if not seen <= allowed:
                ck.fail(where, f"column {col} holds {sorted(seen - allowed)}, allowed {sorted(allowed)}")

    kv = {k.decode(): v.decode() for k, v in (pq.read_metadata(path).metadata or {}).items()}
    for key in REQUIRED_KEYS:
        if key not in kv:
            ck.fail(where, f"key-value metadata lacks {key}")
    if "chiso.inputs" in kv:
        try:
            inputs = json.loads(kv["chiso.inputs"])
            if not isinstance(inputs, list) or any(
                not isinstance(i, dict) or set(i) != {"source_id", "sha256"} for i in inputs
            ):
                ck.fail(where, "chiso.inputs is not a list of {source_id, sha256}")
        except json.JSONDecodeError as e:
            ck.fail(where, f"chiso.inputs is not JSON: {e}")
    created_by = pq.read_metadata(path).created_by
    if not (created_by or "").startswith("chiso "):
        ck.fail(where, f"created_by is {created_by!r}, expected 'chiso <version>'")
    return table, kv


def polars_type_ok(pl, dtype, cls: str) -> bool:
    if cls == "str":
        return dtype == pl.String or dtype == pl.Categorical or isinstance(dtype, (pl.Categorical, pl.Enum))
    if cls == "date":
        return dtype == pl.Date
    if cls == "f64":
        return dtype == pl.Float64
    if cls == "i32":
        return dtype == pl.Int32
    if cls == "i64":
        return dtype == pl.Int64
    if cls == "rows":
        if not isinstance(dtype, pl.List) or not isinstance(dtype.inner, pl.Struct):
            return False
        fields = {f.name: f.dtype for f in dtype.inner.fields}
        return [f.name for f in dtype.inner.fields] == [n for n, _ in ROW_FIELDS] and all(
            polars_type_ok(pl, fields[n], c) for n, c in ROW_FIELDS
        )
    raise ValueError(cls)


def check_polars(ck: Checker, table_name: str, path: Path, rows: int) -> None:
    import polars as pl

    where = f"{path.name} (polars)"
    df = pl.read_parquet(path)
    if df.height != rows:
        ck.fail(where, f"{df.height} rows, pyarrow read {rows}")
    for name, cls, _ in EXPECTED[table_name]:
        if name not in df.columns:
            ck.fail(where, f"column {name} is missing")
        elif not polars_type_ok(pl, df.schema[name], cls):
            ck.fail(where, f"column {name} has dtype {df.schema[name]}, expected {cls}")
    if table_name == "indicators" and rows:
        # Filtering on a categorical column, as users do.
        first = df.get_column("indicator").cast(pl.String)[0]
        n = df.filter(pl.col("indicator").cast(pl.String) == first).height
        if n < 1:
            ck.fail(where, f"filter indicator == {first!r} found nothing")
    try:
        meta = pl.read_parquet_metadata(path)
        if "chiso.schema_version" not in meta:
            ck.fail(where, "read_parquet_metadata lacks chiso.schema_version")
    except AttributeError:
        ck.note("polars has no read_parquet_metadata; metadata checked with pyarrow only")


def check_pandas(ck: Checker, path: Path, rows: int) -> None:
    try:
        import pandas as pd
    except ImportError:
        ck.note("pandas not installed: skipped")
        return
    where = f"{path.name} (pandas)"
    df = pd.read_parquet(path, dtype_backend="pyarrow")
    if len(df) != rows:
        ck.fail(where, f"{len(df)} rows, pyarrow read {rows}")


def check_duckdb(ck: Checker, path: Path, rows: int) -> None:
    try:
        import duckdb
    except ImportError:
        ck.note("duckdb not installed: skipped")
        return
    where = f"{path.name} (duckdb)"
    con = duckdb.connect()
    p = str(path).replace("'", "''")
    (n,) = con.execute(f"SELECT count(*) FROM read_parquet('{p}')").fetchone()
    if n != rows:
        ck.fail(where, f"{n} rows, pyarrow read {rows}")
    keys = {
        (k.decode() if isinstance(k, bytes) else k)
        for (k,) in con.execute(f"SELECT key FROM parquet_kv_metadata('{p}')").fetchall()
    }
    if "chiso.schema_version" not in keys:
        ck.fail(where, "parquet_kv_metadata lacks chiso.schema_version")


def check_datapackage(ck: Checker, out: Path) -> None:
    path = out / "datapackage.json"
    if not path.exists():
        ck.note("no datapackage.json: column lists not cross-checked")
        return
    package = json.loads(path.read_text(encoding="utf-8"))
    for resource in package.get("resources", []):
        name = resource.get("name")
        if name not in EXPECTED:
            continue
        documented = [f.get("name") for f in resource.get("schema", {}).get("fields", [])]
        if documented != [n for n, _, _ in EXPECTED[name]]:
            ck.fail("datapackage.json", f"resource {name} lists columns {documented}")


def summary(table_name: str, table) -> str:
    import pyarrow.compute as pc

    parts = [f"{table.num_rows} rows"]
    def distinct(col: str) -> int:
        return len(pc.unique(table.column(col).cast("string")).drop_null())
    if table_name == "indicators" and table.num_rows:
        parts.append(f"{distinct('indicator')} indicators, {distinct('source_id')} sources")
    if table_name == "mentions" and table.num_rows:
        parts.append(f"{distinct('kind')} kinds, {distinct('source_id')} sources")
    if table_name == "validation" and table.num_rows:
        counts = pc.value_counts(table.column("status").cast("string")).to_pylist()
        parts.append(", ".join(f"{c['counts']} {c['values']}" for c in counts))
    return "; ".join(parts)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out = Path(argv[1])
    try:
        import pyarrow  # noqa: F401
        import polars  # noqa: F401
    except ImportError as e:
        print(f"check_outputs: pyarrow and polars are required ({e})", file=sys.stderr)
        return 2
    ck = Checker()
    lines = []
    for table_name in EXPECTED:
        path = out / f"{table_name}.parquet"
        if not path.is_file():
            ck.fail(str(path), "missing")
            continue
        try:
            table, kv = check_pyarrow(ck, table_name, path)
            check_polars(ck, table_name, path, table.num_rows)
            check_pandas(ck, path, table.num_rows)
            check_duckdb(ck, path, table.num_rows)
            lines.append(
                f"{path.name}: {summary(table_name, table)} "
                f"(schema {kv.get('chiso.schema_version', '?')}, tool {kv.get('chiso.tool_version', '?')})"
            )
        except Exception as e:  # a reader that cannot open the file is a failure to report
            ck.fail(path.name, f"{type(e).__name__}: {e}")
    check_datapackage(ck, out)
    for line in lines:
        print(line)
    for note in sorted(set(ck.notes)):
        print(f"note: {note}")
    if ck.errors:
        for e in ck.errors:
            print(f"error: {e}", file=sys.stderr)
        print(f"check_outputs: {len(ck.errors)} problem(s) in {out}", file=sys.stderr)
        return 1
    print(f"check_outputs: {out} ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
