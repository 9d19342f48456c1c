#!/usr/bin/env python3
"""Prints the README's Performance tables (Markdown) from one run of the benchmarks.

Reads criterion's medians (target/criterion/<group>/<bench>/new/estimates.json) and the figures
the benches leave in target/lineage-bench/ (edges scanned, memory, CLI start-up). Run it after

    cargo bench                     # 10k and 100k
    LINEAGE_BENCH_1M=1 cargo bench  # the same, and 1M
    benches/cli_startup.sh

Usage: benches/report.py [TARGET_DIR]   (default: $CARGO_TARGET_DIR, else target)
"""

import json
import os
import sys

TARGET = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CARGO_TARGET_DIR", "target")
CRIT = os.environ.get("CRITERION_HOME", os.path.join(TARGET, "criterion"))
NOTES = os.path.join(TARGET, "lineage-bench")


def median(group, bench):
    """Criterion's median time per iteration, in seconds, or None when not run."""
    p = os.path.join(CRIT, group, bench.replace("/", "_"), "new", "estimates.json")
    try:
        with open(p) as f:
            return json.load(f)["median"]["point_estimate"] / 1e9
    except OSError:
        return None


def note(name):
    """A `key value` file left by a bench, as a dict, or {} when absent."""
    try:
        with open(os.path.join(NOTES, name)) as f:
            return dict(line.split(None, 1) for line in f.read().splitlines() if line.strip())
    except OSError:
        return {}


def t(s):
    """A duration, readably."""
    if s is None:
        return "–"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    if s >= 1e-6:
        return f"{s * 1e6:.1f} µs"
    return f"{s * 1e9:.0f} ns"


def ratio(a, b):
    return "–" if a is None or b is None else f"{a / b:.2f}×"


def verdict(ok):
    return "met" if ok else "**missed**"


SIZES = [n for n in (10_000, 100_000, 1_000_000) if median(f"closure-{n}-ancestors", "lineage")]

print("#### Closures (median time per query, over the same 1,000 targets for every engine)\n")
print("| nodes | direction | median closure | lineage `reach` | `closure` (depths, edges) "
      "| CSR BFS | SQLite in memory | SQLite on disk | lineage ÷ CSR | SQLite mem ÷ lineage "
      "| SQLite disk ÷ lineage |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
per_edge = {}
for n in SIZES:
    for d in ("ancestors", "descendants"):
        g = f"closure-{n}-{d}"
        k = int(note(f"{g}.txt").get("targets", 1000))
        ours, full, csr, mem, disk = (
            median(g, b) for b in ("lineage", "lineage-closure", "csr", "sqlite-memory", "sqlite-disk")
        )
        q = lambda x: None if x is None else x / k  # noqa: E731
        scanned = int(note(f"{g}.txt").get("scanned", 0))
        if d == "ancestors" and ours and scanned:
            per_edge[n] = (ours / scanned, csr / scanned if csr else None)
        print(f"| {n:,} | {d} | {note(f'{g}.txt').get('median', '?')} nodes | {t(q(ours))} "
              f"| {t(q(full))} | {t(q(csr))} | {t(q(mem))} | {t(q(disk))} | {ratio(ours, csr)} "
              f"| {ratio(mem, ours)} | {ratio(disk, ours)} |")

if per_edge:
    print("\n#### Cost per visited edge (ancestors; time ÷ edges the closures scan)\n")
    print("| nodes | lineage | CSR BFS | lineage vs 10k |")
    print("|---:|---:|---:|---:|")
    base = per_edge.get(10_000, (None,))[0]
    for n, (ours, csr) in sorted(per_edge.items()):
        print(f"| {n:,} | {ours * 1e9:.2f} ns | {csr * 1e9:.2f} ns | {ratio(ours, base)} |")

print("\n#### Cold open + first answer (open the file, answer the median ancestors query, close)\n")
print("| nodes | closure | lineage (lazy open) | SQLite | lineage ÷ SQLite | lineage, full open "
      "| full ÷ SQLite | RON parse + validate | RON ÷ SQLite | snapshot / SQLite / RON bytes |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in (100_000, 1_000_000):
    g = f"cold-open-{n}"
    lazy, sql, full, ron = (median(g, b) for b in ("lineage-lazy", "sqlite", "lineage-full", "ron-parse"))
    if lazy is None:
        continue
    nt = note(f"{g}.txt")
    mb = lambda k: f"{int(nt.get(k, 0)) / 1e6:.0f} MB"  # noqa: E731
    print(f"| {n:,} | {nt.get('size', '?')} nodes | {t(lazy)} | {t(sql)} | {ratio(lazy, sql)} "
          f"| {t(full)} | {ratio(full, sql)} | {t(ron)} | {ratio(ron, sql)} "
          f"| {mb('snapshot')} / {mb('sqlite')} / {mb('ron')} |")

cli = note("cli-startup.txt")
if cli:
    tr, ln, sq = (float(cli[k]) for k in ("true", "lineage", "sqlite3"))
    print(f"\n#### CLI start-up (whole process; medians of {cli['runs']})\n")
    print("| `/bin/true` | `lineage Otan --ancestors` | `sqlite3` (same query) | lineage − true "
          "| sqlite3 ÷ lineage |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| {tr:.3f} ms | {ln:.3f} ms | {sq:.3f} ms | {ln - tr:.3f} ms | {sq / ln:.2f}× |")
    if "lineage_static" in cli:
        st = float(cli["lineage_static"])
        print(f"\nThe same code statically linked (`-C target-feature=+crt-static`, built by the script): "
              f"{st:.3f} ms, {st - tr:.3f} ms above `/bin/true`, {sq / st:.2f}× faster than "
              "`sqlite3`.")

print("\n#### Name resolution (embedded graph) and DOT (1,000-node subgraph)\n")
print("| task | lineage | baseline | baseline ÷ lineage |")
print("|---|---:|---:|---:|")
for label, key in (("exact id", "exact-id"), ("exact name", "exact-name"),
                   ("alias (Cyrillic, folded)", "alias")):
    a, b = median("names", f"lineage/{key}"), median("names", f"sqlite/{key}")
    print(f"| {label} | {t(a)} | {t(b)} (SQLite, indexed) | {ratio(b, a)} |")
print(f"| fuzzy search (`nur otn`) | {t(median('names', 'lineage/fuzzy'))} | – (no SQLite "
      "equivalent) | – |")
print(f"| misspelt name → error with suggestions | "
      f"{t(median('names', 'lineage/misspelt-with-suggestions'))} | – | – |")
dn = note("dot.txt")
a, b = median("dot-1000", "lineage"), median("dot-1000", "bare")
print(f"| DOT of 1,000 nodes, {dn.get('edges', '?')} edges | {t(a)} | {t(b)} (bare DOT writer) "
      f"| {ratio(b, a)} |")

mem_sizes = [n for n in (10_000, 100_000, 1_000_000) if note(f"memory-{n}.txt")]
if mem_sizes:
    print("\n#### Memory (peak resident set of a fresh process: open, then every target's "
          "ancestors and descendants)\n")
    print("| nodes | edges | process floor | lineage, lazy open | + names | lineage, full open "
          "| SQLite | lazy B/edge | full B/edge | snapshot B/edge | SQLite file B/edge |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in mem_sizes:
        m = note(f"memory-{n}.txt")
        e = int(m["edges"])
        kb = lambda k: int(m[k])  # noqa: E731
        mb = lambda k: f"{kb(k) / 1024:.1f} MB"  # noqa: E731
        per = lambda k: f"{(kb(k) - kb('floor')) * 1024 / e:.0f}"  # noqa: E731
        print(f"| {n:,} | {e:,} | {mb('floor')} | {mb('lineage-lazy')} | {mb('lineage-lazy-names')} "
              f"| {mb('lineage-full')} | {mb('sqlite')} | {per('lineage-lazy')} | {per('lineage-full')} "
              f"| {int(m['snapshot_bytes']) / e:.0f} | {int(m['sqlite_bytes']) / e:.0f} |")

# the targets
print("\n#### Targets\n")
rows = []
g = "closure-1000000-ancestors"
ours, csr, mem = median(g, "lineage"), median(g, "csr"), median(g, "sqlite-memory")
full = median(g, "lineage-closure")
if ours:
    rows.append(("closure at 1M ≤ 1.3× CSR (`reach`: the set of nodes, as every baseline answers)",
                 ratio(ours, csr), verdict(ours / csr <= 1.3)))
    rows.append(("closure at 1M ≥ 40× faster than SQLite in memory (`reach`)", ratio(mem, ours),
                 verdict(mem / ours >= 40)))
if full:
    rows.append(("the same for `closure` (also each node's generation and reaching edges): ≤ 1.3× CSR",
                 ratio(full, csr), verdict(full / csr <= 1.3)))
    rows.append(("`closure` ≥ 40× faster than SQLite in memory (which answers only the set)",
                 ratio(mem, full), verdict(mem / full >= 40)))
lazy, sql = median("cold-open-1000000", "lineage-lazy"), median("cold-open-1000000", "sqlite")
if lazy:
    rows.append(("cold open + first answer at 1M ≤ SQLite", ratio(lazy, sql), verdict(lazy <= sql)))
if cli:
    rows.append(("CLI ≤ 0.5 ms above /bin/true (`cargo build --release`)", f"{ln - tr:.3f} ms",
                 verdict(ln - tr <= 0.5)))
    rows.append(("CLI ≥ 2× faster than sqlite3 (`cargo build --release`)", ratio(sq, ln),
                 verdict(sq / ln >= 2)))
    if "lineage_static" in cli:
        st = float(cli["lineage_static"])
        rows.append(("CLI ≤ 0.5 ms above /bin/true (statically linked)", f"{st - tr:.3f} ms",
                     verdict(st - tr <= 0.5)))
        rows.append(("CLI ≥ 2× faster than sqlite3 (statically linked)", ratio(sq, st),
                     verdict(sq / st >= 2)))
if 1_000_000 in per_edge and 10_000 in per_edge:
    r = per_edge[1_000_000][0] / per_edge[10_000][0]
    rows.append(("cost per visited edge at 1M ≤ 2× at 10k", f"{r:.2f}×", verdict(r <= 2)))
m = note("memory-1000000.txt")
if m:
    lazy_mb, full_mb = int(m["lineage-lazy-names"]) / 1024, int(m["lineage-full"]) / 1024
    rows.append(("peak RSS at 1M ≤ 200 MB (lazy open, closures and names)", f"{lazy_mb:.0f} MB",
                 verdict(lazy_mb <= 200)))
    rows.append(("peak RSS at 1M ≤ 200 MB (full open: whole file in memory)", f"{full_mb:.0f} MB",
                 verdict(full_mb <= 200)))
print("| target | measured | |")
print("|---|---:|---|")
for r in rows:
    print(f"| {r[0]} | {r[1]} | {r[2]} |")
