#!/usr/bin/env python3
"""Check chiso's Parquet outputs with the readers data people use.

Usage: check_outputs.py OUTPUT_DIR [OUTPUT_DIR ...] [--dataset DATASET_DIR]

Opens indicators.parquet, mentions.parquet (unless run.json says the run did not write it:
`chiso run --no-mentions`), validation.parquet and sources.parquet in every OUTPUT_DIR (and
joins each indicator row to its source), and the
Hive-partitioned dataset DATASET_DIR (`chiso run --dataset`), with pyarrow, polars, pandas and
DuckDB; asserts the column types that docs/data-dictionary.md and docs/dataset.md document and
the key-value metadata; prints a short summary and, on any mismatch, a message naming the file,
reader and column. The last line is `readers: N passed, M failed`, one count per reader and
file; the exit status is non-zero when any failed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Column -> (type class, nullable). Type classes: str (string or dictionary<string>), date
# (date32), f64, i32, i64, bool, strs (list<string>), rows (validation's list<struct>). Keep in step with
# docs/data-dictionary.md (generated from chiso_load::datapackage()).
EXPECTED: dict[str, list[tuple[str, str, bool]]] = {
    "indicators": [
        ("source_id", "str", False),
        ("indicator", "str", False),
        ("geo_code", "str", True),
        ("geo_id", "str", True),
        ("geo_name", "str", True),
        ("period_start", "date", True),
        ("period_end", "date", True),
        ("period_label", "str", True),
        ("measure", "str", False),
        ("base", "str", True),
        ("base_period", "str", True),
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
    "sources": [
        ("source_id", "str", False),
        ("kind", "str", False),
        ("corpus_id", "str", True),
        ("origin", "str", False),
        ("status", "str", False),
        ("error", "str", True),
        ("format", "str", True),
        ("encoding", "str", True),
        ("sha256", "str", True),
        ("text_sha256", "str", True),
        ("bytes", "i64", True),
        ("published_start", "date", True),
        ("published_end", "date", True),
        ("geo_code", "str", True),
        ("sentences", "i64", True),
        ("repeats_merged", "i64", True),
        ("tables", "i64", True),
        ("mentions", "i64", True),
        ("rows", "i64", True),
        ("documents", "i64", True),
        ("documents_failed", "i64", True),
        ("documents_duplicate", "i64", True),
        ("text_bytes", "i64", True),
        ("fetch_url", "str", True),
        ("fetch_final_url", "str", True),
        ("fetch_status", "i32", True),
        ("fetch_bytes", "i64", True),
        ("fetch_sha256", "str", True),
        ("fetch_from_cache", "bool", True),
        ("errors", "strs", False),
        ("warnings", "strs", False),
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
    ("sources", "kind"): {"source", "corpus", "document"},
    ("sources", "status"): {"ok", "partial", "failed", "duplicate"},
    ("indicators", "base"): {None, "year_ago", "previous_period", "year_start", "other_period"},
}


class Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.notes: list[str] = []
        self.passed = 0
        self.failed = 0

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def note(self, message: str) -> None:
        self.notes.append(message)

    def run(self, label: str, check, *args):
        """Runs one reader check; it passes when it raises nothing and reports no error."""
        before = len(self.errors)
        result = None
        try:
            result = check(self, *args)
        except Exception as e:  # a reader that cannot open the file is a failure to report
            self.fail(label, f"{type(e).__name__}: {e}")
        if len(self.errors) > before:
            self.failed += 1
        else:
            self.passed += 1
        return result


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
    if cls == "bool":
        return t == pa.bool_()
    if cls == "strs":
        return pa.types.is_list(t) and pyarrow_type_ok(pa, t.value_type, "str")
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

    if table_name == "indicators" and table.num_rows:
        # A base qualifies a change or a growth rate's level, and its period needs a base.
        rows = table.select(["measure", "base", "base_period"]).to_pylist()
        if any(r["base"] is not None and r["measure"] not in ("change", "level") for r in rows):
            ck.fail(where, "a row with a base is neither a change nor a level")
        if any(r["base_period"] is not None and r["base"] is None for r in rows):
            ck.fail(where, "a row has a base_period and no base")

    kv = {k.decode(): v.decode() for k, v in (pq.read_metadata(path).metadata or {}).items()}
    for key in REQUIRED_KEYS:
        if key not in kv:
            ck.fail(where, f"key-value metadata lacks {key}")
    if "chiso.inputs" in kv:
        try:
            inputs = json.loads(kv["chiso.inputs"])
            # One entry per input, or past 1 000 inputs one per pipeline source with their number.
            if not isinstance(inputs, list) or any(
                not isinstance(i, dict)
                or set(i) - {"inputs"} != {"source_id", "sha256"}
                or not isinstance(i.get("inputs", 1), int)
                for i in inputs
            ):
                ck.fail(where, "chiso.inputs is not a list of {source_id, sha256[, inputs]}")
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
    if cls == "bool":
        return dtype == pl.Boolean
    if cls == "strs":
        return isinstance(dtype, pl.List) and polars_type_ok(pl, dtype.inner, "str")
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


def check_pandas_types(ck: Checker, where: str, df, expected) -> None:
    import pyarrow as pa

    for name, cls, _ in expected:
        if name not in df.columns:
            ck.fail(where, f"column {name} is missing")
            continue
        dtype = df.dtypes[name]
        t = getattr(dtype, "pyarrow_dtype", None)
        if t is None or not pyarrow_type_ok(pa, t, cls):
            ck.fail(where, f"column {name} has dtype {dtype}, expected {cls} (with dtype_backend='pyarrow')")


def check_pandas(ck: Checker, table_name: str, path: Path, rows: int) -> None:
    import pandas as pd

    where = f"{path.name} (pandas)"
    df = pd.read_parquet(path, dtype_backend="pyarrow")
    if len(df) != rows:
        ck.fail(where, f"{len(df)} rows, pyarrow read {rows}")
    check_pandas_types(ck, where, df, EXPECTED[table_name])


DUCKDB_TYPES = {
    "str": "VARCHAR",
    "date": "DATE",
    "f64": "DOUBLE",
    "i32": "INTEGER",
    "i64": "BIGINT",
    "bool": "BOOLEAN",
    "strs": "VARCHAR[]",
}


def check_duckdb_types(ck: Checker, where: str, con, relation: str, expected) -> None:
    described = {name: dtype for name, dtype, *_ in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}
    for name, cls, _ in expected:
        dtype = described.get(name)
        if dtype is None:
            ck.fail(where, f"column {name} is missing")
        elif cls == "rows":
            if not (dtype.startswith("STRUCT(") and dtype.endswith("[]")):
                ck.fail(where, f"column {name} has type {dtype}, expected a list of structs")
        elif dtype != DUCKDB_TYPES[cls]:
            ck.fail(where, f"column {name} has type {dtype}, expected {DUCKDB_TYPES[cls]}")


def check_duckdb(ck: Checker, table_name: str, path: Path, rows: int) -> None:
    import duckdb

    where = f"{path.name} (duckdb)"
    con = duckdb.connect()
    p = str(path).replace("'", "''")
    (n,) = con.execute(f"SELECT count(*) FROM read_parquet('{p}')").fetchone()
    if n != rows:
        ck.fail(where, f"{n} rows, pyarrow read {rows}")
    check_duckdb_types(ck, where, con, f"read_parquet('{p}')", EXPECTED[table_name])
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
    if table_name in ("validation", "sources") and table.num_rows:
        counts = pc.value_counts(table.column("status").cast("string")).to_pylist()
        parts.append(", ".join(f"{c['counts']} {c['values']}" for c in counts))
    return "; ".join(parts)


def check_sources_join(ck: Checker, out: Path) -> None:
    """Every indicator row finds its source in sources.parquet (joined in polars and DuckDB, as
    analysts join them: the key columns must have joinable types), read whole and not set aside
    as a duplicate, and run.json's counts agree with the table."""
    import duckdb
    import polars as pl

    indicators = pl.read_parquet(out / "indicators.parquet")
    sources = pl.read_parquet(out / "sources.parquet").filter(pl.col("kind").cast(pl.String) != "corpus")
    joined = indicators.join(sources.select("source_id", "origin"), on="source_id", how="left")
    if joined.height != indicators.height or joined.get_column("origin").null_count():
        ck.fail(f"{out}/sources.parquet (polars join)", "indicator rows without their source's origin")

    where = f"{out}/sources.parquet (duckdb join)"
    con = duckdb.connect()
    ind = str(out / "indicators.parquet").replace("'", "''")
    src = str(out / "sources.parquet").replace("'", "''")
    (orphans,) = con.execute(
        f"""SELECT count(*) FROM read_parquet('{ind}') i
            WHERE NOT EXISTS (SELECT 1 FROM read_parquet('{src}') s
                              WHERE s.source_id = i.source_id AND s.status = 'ok'
                                AND s.kind <> 'corpus')"""
    ).fetchone()
    if orphans:
        ck.fail(where, f"{orphans} indicator rows have no source row read whole")
    run_json = out / "run.json"
    if run_json.is_file():
        counts = json.loads(run_json.read_text()).get("source_counts", {})
        (sources, documents, duplicates) = con.execute(
            f"""SELECT count(*) FILTER (WHERE kind <> 'document'),
                       count(*) FILTER (WHERE kind = 'document'),
                       count(*) FILTER (WHERE status = 'duplicate')
                FROM read_parquet('{src}')"""
        ).fetchone()
        listed = (
            counts.get("sources"),
            counts.get("documents"),
            counts.get("duplicate", 0) + counts.get("documents_duplicate", 0),
        )
        if listed != (sources, documents, duplicates):
            ck.fail(
                where,
                f"run.json counts {counts}, the table {sources} sources, {documents} documents "
                f"and {duplicates} duplicates",
            )


# The dataset (`chiso run --dataset DIR`): indicators' columns without `indicator`, which the
# readers add from the `indicator=<id>/` directories, as a string, after the file's columns.
DATASET_COLUMNS = [c for c in EXPECTED["indicators"] if c[0] != "indicator"]
DATASET_EXPECTED = DATASET_COLUMNS + [("indicator", "str", True)]


def dataset_manifest_rows(ck: Checker, dataset: Path) -> tuple[int, dict[str, int]]:
    """Rows the manifests `_pipelines/*.json` record: in total and per data file."""
    total, per_file = 0, {}
    for manifest in sorted((dataset / "_pipelines").glob("*.json")):
        m = json.loads(manifest.read_text(encoding="utf-8"))
        total += m["rows"]
        for f in m["files"]:
            per_file[f["path"]] = f["rows"]
    if not per_file:
        ck.fail(str(dataset), "no pipeline manifests under _pipelines/")
    return total, per_file


def check_dataset_files(ck: Checker, dataset: Path, per_file: dict[str, int]) -> None:
    """Every data file: exact columns (no `indicator`), the partition in its metadata, the rows
    its manifest records; and one file per (indicator, pipeline)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    files = sorted(p for p in dataset.glob("indicator=*/*.parquet"))
    found = {str(p.relative_to(dataset)) for p in files}
    if found != set(per_file):
        ck.fail(str(dataset), f"data files {sorted(found)} are not the manifests' {sorted(per_file)}")
    for p in files:
        where = f"{p.relative_to(dataset)} (pyarrow)"
        table = pq.read_table(p)
        if table.schema.names != [n for n, _, _ in DATASET_COLUMNS]:
            ck.fail(where, f"columns are {table.schema.names}")
        for name, cls, _ in DATASET_COLUMNS:
            if name in table.schema.names and not pyarrow_type_ok(pa, table.schema.field(name).type, cls):
                ck.fail(where, f"column {name} has type {table.schema.field(name).type}, expected {cls}")
        kv = {k.decode(): v.decode() for k, v in (pq.read_metadata(p).metadata or {}).items()}
        if kv.get("chiso.partition") != p.parent.name:
            ck.fail(where, f"chiso.partition is {kv.get('chiso.partition')!r}, expected {p.parent.name!r}")
        if table.num_rows != per_file.get(str(p.relative_to(dataset))):
            ck.fail(where, f"{table.num_rows} rows, the manifest says {per_file.get(str(p.relative_to(dataset)))}")


def check_dataset_pyarrow(ck: Checker, dataset: Path, rows: int) -> None:
    import pyarrow as pa
    import pyarrow.dataset as ds

    where = f"{dataset.name} (pyarrow.dataset, hive)"
    table = ds.dataset(dataset, partitioning="hive").to_table()
    if table.schema.names != [n for n, _, _ in DATASET_EXPECTED]:
        ck.fail(where, f"columns are {table.schema.names}")
    for name, cls, _ in DATASET_EXPECTED:
        if name in table.schema.names and not pyarrow_type_ok(pa, table.schema.field(name).type, cls):
            ck.fail(where, f"column {name} has type {table.schema.field(name).type}, expected {cls}")
    if table.num_rows != rows:
        ck.fail(where, f"{table.num_rows} rows, the manifests say {rows}")
    if table.num_rows and table.column("indicator").null_count:
        ck.fail(where, "indicator has nulls")


def check_dataset_polars(ck: Checker, dataset: Path, rows: int) -> None:
    import polars as pl

    where = f"{dataset.name} (polars.scan_parquet, hive)"
    df = pl.scan_parquet(str(dataset / "**" / "*.parquet"), hive_partitioning=True).collect()
    if df.height != rows:
        ck.fail(where, f"{df.height} rows, the manifests say {rows}")
    if df.columns != [n for n, _, _ in DATASET_EXPECTED]:
        ck.fail(where, f"columns are {df.columns}")
    for name, cls, _ in DATASET_EXPECTED:
        if name in df.columns and not polars_type_ok(pl, df.schema[name], cls):
            ck.fail(where, f"column {name} has dtype {df.schema[name]}, expected {cls}")
    if rows:
        # What analysts do first: filter on the partition column, count by indicator.
        first = df.get_column("indicator")[0]
        lazy = pl.scan_parquet(str(dataset / "**" / "*.parquet"), hive_partitioning=True)
        n = lazy.filter(pl.col("indicator") == first).collect().height
        if n != df.filter(pl.col("indicator") == first).height or n < 1:
            ck.fail(where, f"filter indicator == {first!r} found {n} rows")


def check_dataset_duckdb(ck: Checker, dataset: Path, rows: int) -> None:
    import duckdb

    where = f"{dataset.name} (duckdb read_parquet, hive)"
    con = duckdb.connect()
    glob = str(dataset / "**" / "*.parquet").replace("'", "''")
    relation = f"read_parquet('{glob}', hive_partitioning = true)"
    (n,) = con.execute(f"SELECT count(*) FROM {relation}").fetchone()
    if n != rows:
        ck.fail(where, f"{n} rows, the manifests say {rows}")
    check_duckdb_types(ck, where, con, relation, DATASET_EXPECTED)
    dupes = con.execute(
        f"SELECT count(*) FROM (SELECT indicator, source_id, char_start, char_end, measure, kind, count(*) AS n "
        f"FROM {relation} GROUP BY ALL HAVING n > 1)"
    ).fetchone()[0]
    if dupes:
        ck.fail(where, f"{dupes} statements appear more than once")


def check_dataset_pandas(ck: Checker, dataset: Path, rows: int) -> None:
    import pandas as pd

    where = f"{dataset.name} (pandas)"
    df = pd.read_parquet(dataset, dtype_backend="pyarrow")
    if len(df) != rows:
        ck.fail(where, f"{len(df)} rows, the manifests say {rows}")
    check_pandas_types(ck, where, df, DATASET_COLUMNS)
    if "indicator" not in df.columns:
        ck.fail(where, "the partition column indicator is missing")


def check_output_dir(ck: Checker, out: Path, lines: list[str]) -> None:
    # A file run.json lists as null was not written on purpose (`chiso run --no-mentions`).
    run_json = out / "run.json"
    files = json.loads(run_json.read_text())["files"] if run_json.is_file() else {}
    for table_name in EXPECTED:
        path = out / f"{table_name}.parquet"
        if not path.is_file() and table_name in files and files[table_name] is None:
            lines.append(f"{path}: not written by this run")
            continue
        if not path.is_file():
            ck.fail(str(path), "missing")
            ck.failed += 1
            continue
        got = ck.run(f"{path} (pyarrow)", check_pyarrow, table_name, path)
        if not isinstance(got, tuple):
            continue
        table, kv = got
        ck.run(f"{path} (polars)", check_polars, table_name, path, table.num_rows)
        ck.run(f"{path} (pandas)", check_pandas, table_name, path, table.num_rows)
        ck.run(f"{path} (duckdb)", check_duckdb, table_name, path, table.num_rows)
        lines.append(
            f"{path}: {summary(table_name, table)} "
            f"(schema {kv.get('chiso.schema_version', '?')}, tool {kv.get('chiso.tool_version', '?')})"
        )
    if (out / "sources.parquet").is_file() and (out / "indicators.parquet").is_file():
        ck.run(f"{out}/sources.parquet (duckdb join)", check_sources_join, out)
    ck.run(f"{out}/datapackage.json", check_datapackage, out)


def check_dataset(ck: Checker, dataset: Path, lines: list[str]) -> None:
    got = ck.run(f"{dataset}/_pipelines", dataset_manifest_rows, dataset)
    if not isinstance(got, tuple):
        return
    rows, per_file = got
    ck.run(f"{dataset} (files)", check_dataset_files, dataset, per_file)
    for reader in (check_dataset_pyarrow, check_dataset_polars, check_dataset_duckdb, check_dataset_pandas):
        ck.run(f"{dataset} ({reader.__name__})", reader, dataset, rows)
    lines.append(f"{dataset}: dataset of {rows} rows in {len(per_file)} files")


def main(argv: list[str]) -> int:
    args = argv[1:]
    dataset = None
    if "--dataset" in args:
        i = args.index("--dataset")
        if i + 1 >= len(args):
            print(__doc__.strip().splitlines()[2], file=sys.stderr)
            return 2
        dataset = Path(args[i + 1])
        del args[i : i + 2]
    if not args and dataset is None:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        import duckdb  # noqa: F401
        import pandas  # noqa: F401
        import polars  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as e:
        print(f"check_outputs: pyarrow, polars, pandas and duckdb are required ({e})", file=sys.stderr)
        return 2
    ck = Checker()
    lines: list[str] = []
    for out in map(Path, args):
        check_output_dir(ck, out, lines)
    if dataset is not None:
        check_dataset(ck, dataset, lines)
    for line in lines:
        print(line)
    for note in sorted(set(ck.notes)):
        print(f"note: {note}")
    for e in ck.errors:
        print(f"error: {e}", file=sys.stderr)
    sys.stderr.flush()
    print(f"readers: {ck.passed} passed, {ck.failed} failed")
    return 1 if ck.failed or ck.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
