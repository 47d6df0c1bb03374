"""Benchmark minloop against asyncio, asyncio with pure-Python Tasks, and uvloop.

    python benchmarks/run.py                         # full run: 5 repetitions
    python benchmarks/run.py --scale 0.01 --repeat 1 # smoke test, a few seconds
    python benchmarks/run.py --backends minloop,asyncio --workloads tasks,timers

Every (backend, workload) measurement runs in a fresh subprocess
(benchmarks/worker.py), --repeat times; the repetitions are interleaved
(repetition 1 of everything, then repetition 2, ...) and the backend that
goes first rotates, so that drift or bursts of load on the machine spread
evenly over the backends.  The median is reported, with
its ratio to the ``asyncio`` backend: below 1.0 means less time or memory
than asyncio.

Writes, into --out (default: benchmarks/ for a full-scale run; a run with
--scale other than 1, --gc off or --clock cpu goes to benchmarks/scratch/,
git-ignored, so it never overwrites the published results):

    results.json   machine info, every run, medians and ratios
    results.md     the table in Markdown, for the README
    results.png    bar chart of the ratios (needs matplotlib)
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WORKER = os.path.join(HERE, "worker.py")
sys.path.insert(0, HERE)

import backends  # noqa: E402
import workloads  # noqa: E402

BASELINE = "asyncio"
CLOCKS = {"wall": "wall_seconds", "cpu": "cpu_seconds"}   # --clock -> worker field

# One row of the table per measurement: (workload, measure).  The memory
# workload is measured two ways, each in its own processes.
MEASUREMENTS = [
    ("call_soon", "time"),
    ("tasks", "time"),
    ("timers", "time"),
    ("memory", "tracemalloc"),
    ("memory", "rss"),
    ("echo", "time"),
    ("throughput", "time"),
]

# Environment variables that would slow one run down or change what is
# measured; they are removed from the workers' environment.
UNWANTED_ENV = ("PYTHONASYNCIODEBUG", "PYTHONDEVMODE", "PYTHONTRACEMALLOC",
                "PYTHONMALLOC", "PYTHONPROFILEIMPORTTIME")


def main(argv=None):
    args = parse_args(argv)
    published = args.scale == 1 and args.gc == "on" and args.clock == "wall"
    out_dir = args.out or (HERE if published else os.path.join(HERE, "scratch"))
    measurements = [(w, m) for (w, m) in MEASUREMENTS if w in args.workloads]

    minloop_before = source_digest(os.path.join(REPO, "minloop"))
    load_before = load_average()
    probed, skipped = probe_backends(args.backends)
    available = list(probed)
    for name, why in skipped.items():
        print(f"note: skipping backend {name}: {why}", file=sys.stderr)
    if not available:
        sys.exit("no backend available")

    results = {key(w, m): {b: {"runs": [], "errors": []} for b in available}
               for (w, m) in measurements}
    for rep in range(1, args.repeat + 1):
        # Rotate who goes first each repetition: a burst of load from other
        # processes then does not always hit the same backend.
        shift = (rep - 1) % len(available)
        order = available[shift:] + available[:shift]
        for workload, measure in measurements:
            for backend in order:
                cell = results[key(workload, measure)][backend]
                label = f"[{rep}/{args.repeat}] {key(workload, measure):18} {backend:10}"
                try:
                    answer = run_worker(backend, workload, measure, args.scale,
                                        args.gc, args.timeout)
                except WorkerFailed as exc:
                    cell["errors"].append(str(exc))
                    print(f"{label} FAILED: {exc}", file=sys.stderr)
                    continue
                value = answer[CLOCKS[args.clock]] if measure == "time" else answer["value"]
                cell["runs"].append(value)
                if measure == "time":      # keep both clocks and the GC's share
                    for field in ("wall_seconds", "cpu_seconds", "gc_seconds"):
                        cell.setdefault(field, []).append(answer[field])
                print(f"{label} {fmt_value(workload, value, args.scale)}", file=sys.stderr)

    summarize(results)
    machine = machine_info()
    machine["load_average_1min"] = {"start": load_before, "end": load_average()}
    if machine["minloop_source_sha1"] != minloop_before:
        machine["minloop_changed_during_run"] = True
        print("WARNING: minloop's source changed while the benchmark ran; "
              "the minloop figures mix versions. Run again.", file=sys.stderr)
    report = {
        "machine": machine,
        "settings": {
            "repeat": args.repeat,
            "scale": args.scale,
            "sizes": {w: size(w, args.scale) for w in args.workloads},
            "awaits_per_task": workloads.AWAITS_PER_TASK,
            "max_timer_delay_s": workloads.MAX_TIMER_DELAY,
            "timer_seed": workloads.TIMER_SEED,
            "baseline": BASELINE,
            "clock": CLOCKS[args.clock],
            "gc": ("enabled" if args.gc == "on" else "disabled during the workload")
                  + " for all backends; gc.collect() before each workload",
        },
        "backends": {"measured": available, "skipped": skipped,
                     "versions": {b: p["version"] for b, p in probed.items() if p["version"]},
                     "imported_from": {b: p["path"] for b, p in probed.items()}},
        "results": results,
    }

    table = text_table(results, available, report["settings"])
    print()
    print(table)
    for name, why in skipped.items():
        print(f"({name} skipped: {why})")

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(markdown_table(results, available, report))
    plotted = plot(results, available, report, os.path.join(out_dir, "results.png"))
    written = ["results.json", "results.md"] + (["results.png"] if plotted else [])
    print(f"\nwrote {', '.join(written)} to {os.path.relpath(out_dir)}/")


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="minloop vs asyncio vs asyncio-py vs uvloop",
        epilog="Ratios are median / median of asyncio: below 1.0 is better.")
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs per (backend, workload); the median is reported "
                             "(default 5)")
    parser.add_argument("--backends", type=comma_list(backends.NAMES),
                        default=list(backends.NAMES),
                        help=f"comma-separated, from {','.join(backends.NAMES)}")
    parser.add_argument("--workloads", type=comma_list(workloads.WORKLOADS),
                        default=list(workloads.WORKLOADS),
                        help=f"comma-separated, from {','.join(workloads.WORKLOADS)}")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every workload size (0.01 for a smoke test)")
    parser.add_argument("--out", help="directory for results.{json,md,png} "
                                      "(default benchmarks/, or benchmarks/scratch/ "
                                      "for --scale other than 1, --gc off, "
                                      "--clock cpu)")
    parser.add_argument("--gc", choices=["on", "off"], default="on",
                        help="'off' disables Python's cyclic garbage collector "
                             "during every workload, for every backend alike "
                             "(default: on)")
    parser.add_argument("--clock", choices=list(CLOCKS), default="wall",
                        help="which time to report: 'wall' (perf_counter, the "
                             "default) or 'cpu' (process_time: this process's CPU "
                             "time, steadier on a busy machine; both are kept in "
                             "results.json)")
    parser.add_argument("--timeout", type=float, default=600,
                        help="seconds before one run is abandoned (default 600)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.scale <= 0:
        parser.error("--repeat must be >= 1 and --scale > 0")
    return args


def comma_list(choices):
    def parse(text):
        names = [s.strip() for s in text.split(",") if s.strip()]
        unknown = [n for n in names if n not in choices]
        if unknown:
            raise argparse.ArgumentTypeError(
                f"unknown {', '.join(unknown)}; choose from {', '.join(choices)}")
        return names
    return parse


def key(workload, measure):
    return workload if measure == "time" else f"{workload}/{measure}"


def size(workload, scale):
    return max(1, round(workloads.SIZES[workload] * scale))


# --- running the workers -----------------------------------------------------

class WorkerFailed(Exception):
    pass


def worker_env():
    env = {k: v for k, v in os.environ.items() if k not in UNWANTED_ENV}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [REPO, env.get("PYTHONPATH")]))
    return env


def call_worker(args, timeout):
    """Run worker.py with args; return its JSON line as a dict."""
    try:
        proc = subprocess.run([sys.executable, WORKER, *args], cwd=REPO,
                              env=worker_env(), capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise WorkerFailed(f"timed out after {timeout:g} s") from None
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-3:]
        raise WorkerFailed(f"exit code {proc.returncode}: " + " | ".join(tail))
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise WorkerFailed(f"no JSON result in output: {proc.stdout[-200:]!r}") from None


def probe_backends(names):
    """Check which backends load here.

    Returns ({available backend: {"version", "path"}}, {skipped backend: reason})."""
    available, skipped = {}, {}
    for name in names:
        try:
            answer = call_worker([name, "--probe"], timeout=60)
        except WorkerFailed as exc:
            skipped[name] = f"probe failed: {exc}"
            continue
        if "unavailable" in answer:
            skipped[name] = answer["unavailable"]
        else:
            available[name] = {"version": answer.get("version", ""),
                               "path": answer.get("path")}
            print(f"note: {name} imported from {answer.get('path')}", file=sys.stderr)
    return available, skipped


def run_worker(backend, workload, measure, scale, gc, timeout):
    args = [backend, workload, "--measure", measure, "--scale", repr(scale), "--gc", gc]
    return call_worker(args, timeout)


# --- summarizing -------------------------------------------------------------

def summarize(results):
    """Add the median and the ratio to asyncio's median to every cell."""
    for row_key, row in results.items():
        for cell in row.values():
            runs = cell["runs"]
            cell["median"] = statistics.median(runs) if runs else None
            cell["min"] = min(runs) if runs else None
            cell["max"] = max(runs) if runs else None
            if runs and "gc_seconds" in cell:         # timed workloads only
                cell["gc_share"] = statistics.median(
                    g / t for g, t in zip(cell["gc_seconds"], cell["wall_seconds"]))
        base = row.get(BASELINE, {}).get("median")
        for cell in row.values():
            ok = cell["median"] is not None and base
            cell["ratio"] = cell["median"] / base if ok else None


def machine_info():
    info = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "python_build": " ".join(platform.python_build()),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    try:
        info["git_commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
            text=True, timeout=10).stdout.strip() or None
        info["git_dirty"] = bool(subprocess.run(
            ["git", "status", "--porcelain", "--", "minloop"], cwd=REPO,
            capture_output=True, text=True, timeout=10).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        info["git_commit"] = None
    info["minloop_source_sha1"] = source_digest(os.path.join(REPO, "minloop"))
    return info


def source_digest(directory):
    """SHA-1 over minloop's .py files: which version of the loop was measured,
    even when it was not committed yet."""
    digest = hashlib.sha1()
    for root, dirs, files in sorted(os.walk(directory)):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(root, name)
                digest.update(os.path.relpath(path, directory).encode() + b"\0")
                with open(path, "rb") as f:
                    digest.update(f.read())
    return digest.hexdigest()[:12]


def load_average():
    """1-minute load average: above the CPU count, other work competed with us."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


# --- reporting ---------------------------------------------------------------

def row_label(row_key, scale):
    workload, _, measure = row_key.partition("/")
    n = size(workload, scale)
    return {
        "call_soon": f"call_soon ({n:,} callbacks)",
        "tasks": f"tasks ({n:,} x {workloads.AWAITS_PER_TASK} sleep(0))",
        "timers": f"timers ({n:,} call_later, half cancelled)",
        "memory": f"memory per idle task, {'tracemalloc' if measure == 'tracemalloc' else 'RSS'}"
                  f" ({n:,} tasks)",
        "echo": f"echo ({workloads.ECHO_CLIENTS} clients x {n:,} round trips of "
                f"{workloads.ECHO_MESSAGE} B, streams)",
        "throughput": f"throughput (one connection, {n:,} MiB, streams)",
    }[workload]


def fmt_value(workload, value, scale=1.0):
    if workload == "memory":
        return f"{value:,.0f} B"
    text = f"{value:.2f} s" if value >= 1 else f"{value * 1000:.1f} ms"
    if workload == "throughput":     # the rate too: MB/s, 1 MB = 10**6 bytes
        text += f", {size(workload, scale) * 1024 * 1024 / value / 1e6:,.0f} MB/s"
    return text


def fmt_cell(workload, cell, scale=1.0):
    if cell["median"] is None:
        return "failed" if cell["errors"] else "-"
    text = fmt_value(workload, cell["median"], scale)
    if cell["ratio"] is not None:
        text += f" ({cell['ratio']:.2f}x)"
    return text


def table_rows(results, names, settings):
    clock = ", CPU time" if settings["clock"] == "cpu_seconds" else ""
    header = [f"workload (median{clock})"] + names
    rows = [[row_label(k, settings["scale"])]
            + [fmt_cell(k.partition("/")[0], row[b], settings["scale"]) for b in names]
            for k, row in results.items()]
    return header, rows


def text_table(results, names, settings):
    out = aligned(*table_rows(results, names, settings))
    out.append(f"(x = ratio to {BASELINE}'s median; below 1.00 is faster / smaller)")
    gc_header, gc_rows = gc_table_rows(results, names)
    if gc_rows:
        out += ["", "share of the wall time spent in the cyclic garbage collector (median):"]
        out += aligned(gc_header, gc_rows)
    return "\n".join(out)


def aligned(header, rows):
    """Plain-text table: first column left-aligned, the others right-aligned."""
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                               for i, (c, w) in enumerate(zip(r, widths)))
    return [line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]


def gc_table_rows(results, names):
    """Rows for the timed workloads: the share of each run spent in GC."""
    header = ["workload"] + names
    rows = []
    for row_key, row in results.items():
        if "/" in row_key:
            continue
        shares = [row[b].get("gc_share") for b in names]
        if any(shares):
            rows.append([row_key] + ["-" if x is None else f"{x:.0%}" for x in shares])
    return header, rows


def markdown_table(results, names, report):
    s, m = report["settings"], report["machine"]
    header, rows = table_rows(results, names, s)
    out = ["| " + " | ".join(header) + " |",
           "| " + " | ".join(["---"] + ["---:"] * len(names)) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    gc_header, gc_rows = gc_table_rows(results, names)
    if gc_rows:
        out += ["", "Share of the wall time spent in Python's cyclic garbage collector "
                    "(median; measured with `gc.callbacks`):", "",
                "| " + " | ".join(gc_header) + " |",
                "| " + " | ".join(["---"] + ["---:"] * len(names)) + " |"]
        out += ["| " + " | ".join(r) + " |" for r in gc_rows]
    versions = ", ".join(f"{b} {v}" for b, v in report["backends"]["versions"].items())
    out += [
        "",
        f"Median of {s['repeat']} runs, each in a fresh process; in brackets the ratio "
        f"to `{BASELINE}` (below 1.00 = faster or smaller). "
        f"`asyncio-py` is asyncio with its pure-Python Task and Future. "
        f"Garbage collector {s['gc'].split(' for')[0]}."
        + (" Times are CPU time (process_time), not wall time."
           if s["clock"] == "cpu_seconds" else ""),
        f"Python {m['python']} on {m['platform']}, {m['cpu_count']} CPUs"
        + (f" ({m['cpu_model']})" if m["cpu_model"] else "")
        + (f"; {versions}" if versions else "") + f"; scale {s['scale']:g}.",
    ]
    for name, why in report["backends"]["skipped"].items():
        out.append(f"{name} skipped: {why}.")
    load = m.get("load_average_1min") or {}
    busiest = max([v for v in load.values() if v is not None] or [0])
    if m["cpu_count"] and busiest > m["cpu_count"]:
        out.append(f"The machine was busy with other work (1-minute load average "
                   f"{load['start']:g} at the start, {load['end']:g} at the end, on "
                   f"{m['cpu_count']} CPUs): "
                   + ("wall times were inflated, hence CPU time."
                      if s["clock"] == "cpu_seconds" else
                      "wall times are inflated; consider `--clock cpu`."))
    if m.get("minloop_changed_during_run"):
        out.append("**Warning: minloop's source changed during this run.**")
    return "\n".join(out) + "\n"


def plot(results, names, report, path):
    """Grouped bar chart of ratios to asyncio; returns False if not possible."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("note: matplotlib is not installed here; skipping results.png "
              "(run with the project venv: .venv/bin/python benchmarks/run.py)",
              file=sys.stderr)
        return False
    if BASELINE not in names:
        print(f"note: no {BASELINE} baseline measured; skipping results.png",
              file=sys.stderr)
        return False

    labels = {"call_soon": "call_soon", "tasks": "tasks\n(sleep(0) x10)",
              "timers": "timers\n(half cancelled)",
              "memory/tracemalloc": "memory / idle task\n(tracemalloc)",
              "memory/rss": "memory / idle task\n(RSS)",
              "echo": "echo\n(streams)", "throughput": "throughput\n(streams)"}
    keys = list(results)
    width = 0.8 / len(names)
    fig, ax = plt.subplots(figsize=(max(7, 2 * len(keys) + 2), 5), dpi=120)
    for i, name in enumerate(names):
        xs = [k + (i - (len(names) - 1) / 2) * width for k in range(len(keys))]
        ratios = [results[k][name]["ratio"] for k in keys]
        heights = [r if r is not None else 0 for r in ratios]
        bars = ax.bar(xs, heights, width * 0.92, label=name)
        for bar, r in zip(bars, ratios):
            ax.annotate("n/a" if r is None else f"{r:.2f}",
                        (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8)
    ax.axhline(1.0, color="black", linestyle="--", linewidth=1)
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels([labels.get(k, k) for k in keys])
    ax.set_ylabel(f"median relative to {BASELINE} (lower is better)")
    s, m = report["settings"], report["machine"]
    ax.set_title(f"minloop vs asyncio vs uvloop - Python {m['python']}, "
                 f"median of {s['repeat']}, scale {s['scale']:g}"
                 + (", gc off" if s["gc"].startswith("disabled") else "")
                 + (", CPU time" if s["clock"] == "cpu_seconds" else ""))
    ax.legend(ncol=len(names), loc="upper left", frameon=False)
    top = max([c["ratio"] or 0 for row in results.values() for c in row.values()] + [1])
    ax.set_ylim(0, top * 1.2)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


if __name__ == "__main__":
    main()
