#!/usr/bin/python3
"""Charts for the documentation, from the programs' own output.

  plot.py --build build --out build/plots

* bench.png: packets per wall second of each divert-bench scenario, as a
  ratio to plain ns-3 (runs build/divert-bench, or reads --bench-output).
* rules.png: the same ratio (and the instruction ratio where the benchmark
  counted instructions) against the number of rules per node, log scale,
  with the cost a linear scan of the rules would have as a reference line.
* overlap-policies.png: which fragment's bytes each overlap policy keeps in
  the Sturges/Novak train (runs build/divert-overlap-policies, or reads
  --policies-output).

Uses Debian's python3-matplotlib; writes PNG files only.
"""

import argparse
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def program_output(build, name, args, given):
    """The output of a program of the build, or of a file given instead."""
    if given:
        with open(given) as f:
            return f.read()
    return subprocess.run([os.path.join(build, name)] + args, check=True,
                          capture_output=True, text=True).stdout


def parse_bench(text):
    """(scenario, ratio) pairs from divert-bench's table."""
    rows = []
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 6 and words[0] != "scenario" and not line.startswith("("):
            try:
                rows.append((words[0], float(words[4])))
            except ValueError:
                continue
    if not rows:
        raise SystemExit("no benchmark table in the output")
    return rows


def parse_rule_sweep(text):
    """(rules per node, flow cache on, wall ratio, instruction ratio or None)
    from the table: rows "rules=N" and "rules=N/no-cache"."""
    rows = []
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 7 and words[0].startswith("rules="):
            count, _, variant = words[0][6:].partition("/")
            instr = float(words[6])
            rows.append((int(count), variant != "no-cache", float(words[4]),
                         instr if instr > 0 else None))
    return sorted(rows)


# The linear scan this module used before its rule classifier (commit
# 45f6761), measured with `divert-bench --instructions` on the same rule
# sets: instructions of plain ns-3 over instructions with N rules per node.
LINEAR_SCAN = [(10, 0.840), (100, 0.614), (1000, 0.167), (10000, 0.020)]


def plot_rule_sweep(rows, path):
    rows = [r for r in rows if r[0] > 0]
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for cached, colour, label in ((True, "#3a6ea5", "classifier + flow cache"),
                                  (False, "#d08a2a", "classifier, flow cache off")):
        part = [r for r in rows if r[1] == cached]
        if not part:
            continue
        counts = [r[0] for r in part]
        ax.plot(counts, [r[2] for r in part], "o-", color=colour, label=label + ", wall clock")
        if all(r[3] is not None for r in part):
            ax.plot(counts, [r[3] for r in part], "s:", color=colour,
                    label=label + ", instructions")
    ax.plot([n for n, _ in LINEAR_SCAN], [r for _, r in LINEAR_SCAN], "--", color="#aa4444",
            label="linear scan before the classifier, instructions")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.1)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xlabel("rules per node (spread over input, forward, output)")
    ax.set_ylabel("cost of plain ns-3 / cost")
    ax.set_title("divert-bench: firewall size against speed")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def parse_policies(text):
    """(policy, reassembled letters) pairs from divert-overlap-policies."""
    rows = []
    in_table = False
    for line in text.splitlines():
        if line.startswith("policy"):
            in_table = True
            continue
        if in_table and line.strip():
            words = line.split()
            rows.append((words[0], words[1] if not words[1].startswith("(") else ""))
    if not rows:
        raise SystemExit("no policy table in the output")
    return rows


def plot_bench(rows, path):
    names = [r[0] for r in rows]
    ratios = [r[1] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 3.2))
    bars = ax.bar(names, ratios, color=["#888888" if "plain" in n else "#3a6ea5" for n in names])
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_ylim(0, max(ratios) * 1.15)
    ax.set_ylabel("packets/s relative to plain ns-3")
    ax.set_title("divert-bench: cost of the divert stack")
    for bar, ratio in zip(bars, ratios):
        ax.annotate("%.2f" % ratio, (bar.get_x() + bar.get_width() / 2, ratio),
                    ha="center", va="bottom", fontsize=8)
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_policies(rows, path):
    width = max(len(r[1]) for r in rows)
    letters = sorted({c for _, s in rows for c in s})
    colours = plt.get_cmap("tab20", max(len(letters), 1))
    index = {c: i for i, c in enumerate(letters)}
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(rows) + 1))
    for y, (policy, text) in enumerate(rows):
        if not text:
            ax.text(width / 2, y, "datagram dropped", ha="center", va="center", fontsize=8)
        for x, c in enumerate(text):
            ax.add_patch(plt.Rectangle((x, y - 0.4), 1, 0.8, color=colours(index[c])))
            ax.text(x + 0.5, y, c, ha="center", va="center", fontsize=7)
    ax.set_xlim(0, width)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r[0] for r in rows], fontsize=8)
    ax.set_xlabel("reassembled datagram, one cell per 8 bytes (letter = fragment that won)")
    ax.set_title("Overlap policies on the Sturges/Novak train")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--out", default=None)
    parser.add_argument("--bench-output")
    parser.add_argument("--policies-output")
    parser.add_argument("--packets", default="20000")
    parser.add_argument("--repeat", default="2")
    args = parser.parse_args()
    out = args.out or os.path.join(args.build, "plots")
    os.makedirs(out, exist_ok=True)
    bench = program_output(args.build, "divert-bench",
                           ["--packets=%s" % args.packets, "--repeat=%s" % args.repeat,
                            "--extras=false"],
                           args.bench_output)
    plot_bench(parse_bench(bench), os.path.join(out, "bench.png"))
    plot_rule_sweep(parse_rule_sweep(bench), os.path.join(out, "rules.png"))
    policies = program_output(args.build, "divert-overlap-policies", [], args.policies_output)
    plot_policies(parse_policies(policies), os.path.join(out, "overlap-policies.png"))
    print("wrote %s, %s and %s" % (os.path.join(out, "bench.png"),
                                   os.path.join(out, "rules.png"),
                                   os.path.join(out, "overlap-policies.png")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
