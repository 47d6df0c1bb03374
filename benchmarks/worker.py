"""Run ONE workload on ONE backend, once, in this process; print the result
as one line of JSON on stdout.

run.py starts this script in a fresh subprocess for every measurement, so
memory, caches and garbage-collector state never leak from one backend or
workload into the next.  You can also run it by hand:

    python benchmarks/worker.py minloop tasks
    python benchmarks/worker.py asyncio memory --measure rss --scale 0.1
    python benchmarks/worker.py minloop timers --profile   # where does time go?
    python benchmarks/worker.py uvloop --probe              # is it usable here?
"""

import argparse
import gc
import json
import os
import sys
from time import perf_counter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
# Import minloop from this checkout even when it is not installed.
sys.path.insert(0, REPO)
sys.path.insert(0, HERE)

import backends  # noqa: E402
import workloads  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backend", choices=backends.NAMES)
    parser.add_argument("workload", nargs="?", choices=sorted(workloads.WORKLOADS))
    parser.add_argument("--measure", default="time",
                        choices=["time", "tracemalloc", "rss"],
                        help="time for call_soon/tasks/timers; "
                             "tracemalloc or rss for memory")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--gc", choices=["on", "off"], default="on",
                        help="'off' disables the cyclic garbage collector during "
                             "the workload (default: on)")
    parser.add_argument("--probe", action="store_true",
                        help="only check that the backend loads and runs")
    parser.add_argument("--profile", type=int, nargs="?", const=25, metavar="N",
                        help="run under cProfile, print the top N functions "
                             "to stderr (timings are then inflated)")
    args = parser.parse_args(argv)

    try:
        backend = backends.load(args.backend)
    except backends.BackendUnavailable as exc:
        print(json.dumps({"unavailable": str(exc)}))
        return 0
    if args.probe:
        loop = backend.new_event_loop()
        loop.run_until_complete(backend.sleep(0))
        loop.close()
        module = sys.modules.get(args.backend.split("-")[0])   # where from?
        print(json.dumps({"ok": True, "version": backend.version,
                          "path": getattr(module, "__file__", None)}))
        return 0
    if args.workload is None:
        parser.error("a workload is required unless --probe is given")

    n = max(1, round(workloads.SIZES[args.workload] * args.scale))
    func = workloads.WORKLOADS[args.workload]
    kwargs = {}
    if args.workload == "memory":
        kwargs["measure"] = "tracemalloc" if args.measure == "time" else args.measure
    elif args.measure != "time":
        parser.error(f"--measure {args.measure} only applies to the memory workload")

    loop = backend.new_event_loop()
    gc.collect()                      # every workload starts from a clean heap
    if args.gc == "off":
        gc.disable()
    gc_clock = GCClock()
    gc.callbacks.append(gc_clock)
    try:
        if args.profile:
            value = profiled(args.profile, func, backend, loop, n, **kwargs)
        else:
            value = func(backend, loop, n, **kwargs)
    finally:
        gc.callbacks.remove(gc_clock)
        loop.close()

    answer = {
        "backend": args.backend,
        "workload": args.workload,
        "measure": kwargs.get("measure", "time"),
        "n": n,
    }
    if isinstance(value, workloads.Stopwatch):
        answer.update(value=value.wall, unit="s", wall_seconds=value.wall,
                      cpu_seconds=value.cpu)
    else:
        answer.update(value=value, unit="bytes/task")
    answer.update({
        "gc": args.gc,
        # Time the garbage collector ran during the workload (for the memory
        # workload this includes its own explicit gc.collect() calls).
        "gc_seconds": gc_clock.seconds,
        "gc_collections": gc_clock.collections,
    })
    print(json.dumps(answer))
    return 0


class GCClock:
    """Adds up how long the cyclic garbage collector runs (via gc.callbacks)."""

    def __init__(self):
        self.seconds = 0.0
        self.collections = 0
        self._started = None

    def __call__(self, phase, info):
        if phase == "start":
            self._started = perf_counter()
        elif self._started is not None:
            self.seconds += perf_counter() - self._started
            self.collections += 1
            self._started = None


def profiled(top, func, *args, **kwargs):
    """Call func under cProfile and print the most expensive functions."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    value = profiler.runcall(func, *args, **kwargs)
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.strip_dirs()
    print("\n=== by own time (tottime) ===", file=sys.stderr)
    stats.sort_stats("tottime").print_stats(top)
    print("\n=== by cumulative time ===", file=sys.stderr)
    stats.sort_stats("cumulative").print_stats(top)
    return value


if __name__ == "__main__":
    sys.exit(main())
