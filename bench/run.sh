#!/usr/bin/env bash
# Whole-run benchmark of chiso on generated corpora (docs/performance.md, "Corpus scale").
#
#   bench/run.sh                      # 100MB and 1GB, 1 and 2 threads, the Python baseline
#   SIZES="100MB" RUNS=3 bench/run.sh # other sizes; RUNS runs each (the median is printed)
#   RULES=1 bench/run.sh              # with validation: bench/rules.toml (or RULES=path/to/rules.toml)
#   BASELINE=0 bench/run.sh           # without the Python baseline
#   ARGS=--no-mentions bench/run.sh   # more `chiso run` arguments
#   MIX=numbers bench/run.sh          # the denser corpus of paragraphs holding numbers only
#                                     # (bench/gen_corpus.py --numbers-only; default MIX=news)
#   LAYOUT=files bench/run.sh         # the same documents as a directory tree, one .txt file
#                                     # per document, 1 000 to a directory (as a crawl is kept)
#   LAYOUT=reports bench/run.sh       # the same text as long documents: 1 600 articles to a
#                                     # .txt file (about 4 MB, a long report or an archive page)
#   LAYOUT=crawl bench/run.sh         # JSON lines with every third article saved again 1 000
#                                     # articles later under another id and url (25 % copies)
#   DUPLICATES=keep bench/run.sh      # `duplicates = "keep"` in the pipeline: read every copy
#
# Needs the release binary (cargo build --release -p chiso-cli) and, for the baseline, a Python
# with pyarrow (PYTHON, default .venv/bin/python). Corpora and outputs go to target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100MB 1GB"}
THREADS=${THREADS:-"1 2"}
RUNS=${RUNS:-3}
PYTHON=${PYTHON:-.venv/bin/python}
CHISO=${CHISO:-target/release/chiso}
RULES=${RULES:-}
BASELINE=${BASELINE:-1}
ARGS=${ARGS:-}
MIX=${MIX:-news}
LAYOUT=${LAYOUT:-jsonl}
case "$LAYOUT" in
  jsonl | files | reports | crawl) ;;
  *) echo "error: LAYOUT=$LAYOUT: expected jsonl, files, reports or crawl" >&2; exit 2 ;;
esac
DUPLICATES=${DUPLICATES:-}
case "$DUPLICATES" in
  "" | skip | keep) ;;
  *) echo "error: DUPLICATES=$DUPLICATES: expected skip or keep" >&2; exit 2 ;;
esac
case "$MIX" in
  news) mix_args=() ;;
  numbers) mix_args=(--numbers-only) ;;
  *) echo "error: MIX=$MIX: expected news or numbers" >&2; exit 2 ;;
esac
[ "$RULES" = 1 ] && RULES=bench/rules.toml
WORK=target/bench
mkdir -p "$WORK"
[ -x "$CHISO" ] || { echo "error: $CHISO is missing: cargo build --release -p chiso-cli" >&2; exit 2; }

# Runs a command under /usr/bin/time -v; prints "wall_seconds peak_rss_kb cpu_seconds" (CPU:
# user + system, all threads). Exit 1 (a rule failed) is a finished run; anything else is an
# error.
measure() {
  local log status=0
  log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then cat "$log" >&2; rm -f "$log"; return 1; fi
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$log")
  rm -f "$log"
  echo "$wall $rss $cpu"
}

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# MB/CPU-s is the throughput per core: the text divided by the CPU time of every thread (the
# reader and the two file writers run beside the workers, so even --threads 1 uses more than
# one core).
printf '%-13s %-8s %7s %9s %9s %11s %9s %9s %9s\n' corpus threads docs "wall s" "MB/s" "docs/s" "RSS MB" "CPU s" "MB/CPU-s"
for size in $SIZES; do
  name=$MIX-$size
  corpus=$WORK/$name.jsonl
  [ -s "$corpus" ] || python3 bench/gen_corpus.py --size "$size" --out "$corpus" "${mix_args[@]}"
  input=$name.jsonl
  if [ "$LAYOUT" = crawl ]; then
    # As a crawl keeps a paper: some articles fetched twice, at another URL.
    input=$name.crawl.jsonl
    [ -s "$WORK/$input" ] || python3 - "$corpus" "$WORK/$input" <<'PY'
import json, sys
corpus, crawl = sys.argv[1], sys.argv[2]
later = []
with open(corpus, encoding="utf-8") as lines, open(crawl + ".tmp", "w", encoding="utf-8") as out:
    for n, line in enumerate(lines):
        out.write(line)
        if n % 3 == 0:
            r = json.loads(line)
            r["id"] = "%s-copy" % r.get("id", n)
            if "url" in r:
                r["url"] += "?copy"
            later.append((n + 1000, json.dumps(r, ensure_ascii=False) + "\n"))
        while later and later[0][0] <= n:
            out.write(later.pop(0)[1])
    out.writelines(line for _, line in later)
import os
os.rename(crawl + ".tmp", crawl)
PY
    bytes=$(stat -c %s "$WORK/$input")
    docs=$(wc -l <"$WORK/$input")
    name=$name-crawl
  elif [ "$LAYOUT" != jsonl ]; then
    # Files of documents, written once (a directory that is there is whole: it is renamed into
    # place when written): one file per document, 1 000 to a directory, or 1 600 documents to
    # a file, one directory of them.
    input=$name.$LAYOUT
    [ -d "$WORK/$input" ] || python3 - "$corpus" "$WORK/$input" "$LAYOUT" <<'PY'
import json, os, sys
corpus, tree, layout = sys.argv[1], sys.argv[2], sys.argv[3]
tmp = tree + ".tmp"
per_file = 1 if layout == "files" else 1600
os.makedirs(tmp, exist_ok=True)
with open(corpus, encoding="utf-8") as lines:
    out = None
    for n, line in enumerate(lines):
        if n % per_file == 0:
            if out:
                out.close()
            if layout == "files":
                sub = os.path.join(tmp, "%04d" % (n // 1000))
                os.makedirs(sub, exist_ok=True)
                out = open(os.path.join(sub, "%07d.txt" % n), "w", encoding="utf-8")
            else:
                out = open(os.path.join(tmp, "%05d.txt" % (n // per_file)), "w", encoding="utf-8")
        else:
            out.write("\n")
        out.write(json.loads(line)["text"])
    if out:
        out.close()
os.rename(tmp, tree)
PY
    bytes=$(find "$WORK/$input" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
    docs=$(find "$WORK/$input" -type f | wc -l)
    name=$name-$LAYOUT
  else
    bytes=$(stat -c %s "$corpus")
    docs=$(wc -l <"$corpus")
  fi
  dir=$WORK/pipeline-$name${RULES:+-rules}${DUPLICATES:+-$DUPLICATES}
  mkdir -p "$dir"
  printf 'version = 1\nname = "bench-%s"\n%s\n[[sources]]\nid = "news"\npath = "../%s"\n' "$name" \
    "${DUPLICATES:+duplicates = \"$DUPLICATES\"
}" "$input" >"$dir/pipeline.toml"
  [ -z "$RULES" ] || printf '\n[validation]\nrules = "%s"\n' "$(realpath "$RULES")" >>"$dir/pipeline.toml"
  for t in $THREADS; do
    walls=() rsss=() cpus=()
    for _ in $(seq "$RUNS"); do
      read -r wall rss cpu < <(measure "$CHISO" -q run "$dir/pipeline.toml" --out "$WORK/out-$name" --no-report --threads "$t" $ARGS)
      walls+=("$wall") rsss+=("$rss") cpus+=("$cpu")
    done
    wall=$(printf '%s\n' "${walls[@]}" | median)
    rss=$(printf '%s\n' "${rsss[@]}" | median)
    cpu=$(printf '%s\n' "${cpus[@]}" | median)
    awk -v s="$name" -v t="$t" -v d="$docs" -v b="$bytes" -v w="$wall" -v r="$rss" -v c="$cpu" \
      'BEGIN { printf "%-13s %-8s %7d %9.2f %9.1f %11.0f %9.0f %9.2f %9.1f\n", s, t, d, w, b / w / 1e6, d / w, r / 1024, c, b / c / 1e6 }'
  done
done

# The analyst's way, on the first corpus, one core.
first=${SIZES%% *}
if [ "$BASELINE" = 0 ]; then
  :
elif "$PYTHON" -c 'import pyarrow' 2>/dev/null; then
  echo "baseline (bench/baseline.py, 1 core) on $MIX-$first:"
  "$PYTHON" bench/baseline.py "$WORK/$MIX-$first.jsonl" --out "$WORK/baseline-$MIX-$first.parquet"
else
  echo "baseline skipped: $PYTHON has no pyarrow (make venv)" >&2
fi
