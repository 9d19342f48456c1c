#!/usr/bin/env bash
# Benchmark 3: CLI start-up, as whole processes.
#
#   lineage Otan --ancestors          the embedded graph, compiled into the binary
#   sqlite3 <file> '<recursive query>' the same graph and the same question, in SQLite's own CLI
#   /bin/true                          the floor: what starting any process costs here
#
# The three commands are timed by hyperfine (-N: no shell in between) in ROUNDS interleaved
# rounds of RUNS runs each, so that a change in the load of this shared machine falls on all of
# them alike; the medians are over every run of every round. Both answers are checked to name the
# same ancestors before anything is timed.
#
# Usage: benches/cli_startup.sh            (ROUNDS=8 RUNS=50: 400 runs of each command)
# Env:   LINEAGE_BIN   the binary to time (default: builds and uses target/release/lineage)
#        ROUNDS, RUNS  as above
#        STATIC=0      skip timing a statically linked build of the same code (default: timed)
#                      (RUSTFLAGS=-Ctarget-feature=+crt-static, built in target/static-startup/)
# Output: a table on stdout, and target/lineage-bench/cli-startup.txt for benches/report.py.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-8}
RUNS=${RUNS:-50}
TARGET=${CARGO_TARGET_DIR:-target}
OUT="$TARGET/lineage-bench"
mkdir -p "$OUT"
for tool in hyperfine sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "cli_startup.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done
if [ -z "${LINEAGE_BIN:-}" ]; then
  cargo build --release --quiet --bin lineage
  LINEAGE_BIN="$TARGET/release/lineage"
fi
BIN=$LINEAGE_BIN
STATIC_BIN=
if [ "${STATIC:-1}" = 1 ]; then
  host=$(rustc -vV | sed -n 's/^host: //p')
  RUSTFLAGS="-C target-feature=+crt-static" cargo build --release --quiet --bin lineage \
    --target "$host" --target-dir "$TARGET/static-startup"
  STATIC_BIN="$TARGET/static-startup/$host/release/lineage"
fi

# The embedded graph as a SQLite file: every node, and the lineage edges (the kinds that
# `lineage NAME --ancestors` follows), indexed on dst as in the closure benchmark.
DB="$OUT/embedded.sqlite"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$BIN" export --format csv --nodes > "$TMP/nodes.csv"
"$BIN" export --format csv > "$TMP/edges.csv"
rm -f "$DB"
sqlite3 "$DB" <<SQL
CREATE TABLE nodes_csv(id TEXT, name TEXT, kind TEXT, years TEXT, aliases TEXT);
CREATE TABLE edges_csv(kind TEXT, "from" TEXT, "to" TEXT, date TEXT, earliest TEXT, latest TEXT,
                       role TEXT, term TEXT, sources TEXT, note TEXT);
.import --csv --skip 1 $TMP/nodes.csv nodes_csv
.import --csv --skip 1 $TMP/edges.csv edges_csv
CREATE TABLE nodes(id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                   kind TEXT, years TEXT);
INSERT INTO nodes(slug, name, kind, years) SELECT id, name, kind, years FROM nodes_csv ORDER BY id;
CREATE INDEX nodes_name ON nodes(name);
CREATE TABLE edges(src INTEGER NOT NULL, dst INTEGER NOT NULL, kind TEXT NOT NULL);
INSERT INTO edges SELECT a.id, b.id, e.kind FROM edges_csv e
  JOIN nodes a ON a.slug = e."from" JOIN nodes b ON b.slug = e."to"
  WHERE e.kind IN ('split', 'merger', 'renaming', 'reorganisation', 'founding');
CREATE INDEX edges_dst ON edges(dst, src);
DROP TABLE nodes_csv; DROP TABLE edges_csv;
VACUUM; ANALYZE;
SQL

# Ancestors of the node named Otan, with their names, kinds and years (what the tree shows).
QUERY="WITH RECURSIVE anc(id) AS (SELECT e.src FROM edges e JOIN nodes n ON e.dst = n.id WHERE n.name = 'Otan' UNION SELECT e.src FROM edges e JOIN anc ON e.dst = anc.id) SELECT n.slug, n.name, n.kind, n.years FROM anc JOIN nodes n ON n.id = anc.id ORDER BY n.slug;"

# Both must name the same ancestors.
ours=$("$BIN" Otan --ancestors --format json | python3 -c 'import json, sys; print("\n".join(sorted(n["id"] for n in json.load(sys.stdin)["nodes"])))')
theirs=$(sqlite3 "$DB" "$QUERY" | cut -d'|' -f1 | sort)
if [ "$ours" != "$theirs" ]; then
  echo "lineage and sqlite3 disagree on the ancestors of Otan:" >&2
  diff <(echo "$ours") <(echo "$theirs") >&2 || true
  exit 1
fi
echo "both name the same $(echo "$ours" | wc -l) ancestors of Otan"

cmds=('/bin/true' "$BIN Otan --ancestors" "sqlite3 $DB \"$QUERY\"")
[ -n "$STATIC_BIN" ] && cmds+=("$STATIC_BIN Otan --ancestors")
for r in $(seq 1 "$ROUNDS"); do
  warm=5
  [ "$r" = 1 ] && warm=50
  hyperfine -N --style none --warmup "$warm" --runs "$RUNS" --export-json "$TMP/round-$r.json" \
    "${cmds[@]}" >/dev/null
done

python3 - "$TMP" "$OUT/cli-startup.txt" "$ROUNDS" "$RUNS" <<'PY'
import glob, json, statistics, sys
tmp, out, rounds, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
times = {}
for f in sorted(glob.glob(tmp + "/round-*.json")):
    for i, r in enumerate(json.load(open(f))["results"]):
        times.setdefault(i, []).extend(r["times"])
names = ["true", "lineage", "sqlite3", "lineage_static"]
med = {names[i]: statistics.median(t) * 1000 for i, t in times.items()}
lines = [f"runs {len(times[0])} ({rounds} interleaved rounds of {runs})"]
lines += [f"{k} {v:.3f}" for k, v in med.items()]
open(out, "w").write("\n".join(lines) + "\n")
print(f"{'command':<34} {'median ms':>10} {'above /bin/true':>16}")
labels = [("/bin/true", "true"), ("lineage Otan --ancestors", "lineage"),
          ("sqlite3 (same query)", "sqlite3"), ("lineage, statically linked", "lineage_static")]
for label, k in labels:
    if k in med:
        print(f"{label:<34} {med[k]:>10.3f} {med[k] - med['true']:>13.3f} ms")
print(f"lineage is {med['sqlite3'] / med['lineage']:.2f}x faster than the sqlite3 CLI, "
      f"{med['lineage'] - med['true']:.3f} ms above /bin/true ({len(times[0])} runs each)")
PY
