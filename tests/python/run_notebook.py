#!/usr/bin/env python3
"""Execute a notebook headless with nbclient, so that it cannot rot.

Usage: run_notebook.py NOTEBOOK [--out EXECUTED.ipynb] [--timeout SECONDS]

Runs every cell in a fresh kernel (the `python3` kernel of this interpreter) from the
repository root; the notebook reads its paths from the environment (CHISO_OUTPUT,
CHISO_DATASET, CHISO_PROVINCE). Fails when a cell raises or when no cell drew a figure.
The executed copy, with its outputs and figure, is written to --out when given.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str]) -> int:
    args = argv[1:]
    out = None
    timeout = 60
    if "--out" in args:
        i = args.index("--out")
        out = Path(args[i + 1])
        del args[i : i + 2]
    if "--timeout" in args:
        i = args.index("--timeout")
        timeout = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path = Path(args[0])
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    started = time.monotonic()
    try:
        client.execute()
    except CellExecutionError as e:
        print(f"run_notebook: {path}: a cell failed:\n{e}", file=sys.stderr)
        return 1
    finally:
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, out)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    figures = sum(
        1 for c in code_cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    )
    if figures == 0:
        print(f"run_notebook: {path}: no cell drew a figure", file=sys.stderr)
        return 1
    print(
        f"run_notebook: {path}: {len(code_cells)} code cells, {figures} figure(s), "
        f"{time.monotonic() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
