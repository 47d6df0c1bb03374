"""Tasks over time, drawn from a trace: when each Task waited, was ready, and ran.

One row per Task. On virtual time, running takes no time at all, so a step that ran is a
tick; waiting is a bar labelled with what the Task waited on. ``x="iteration"`` spreads the
picture over the loop's iterations instead, for programs where everything happens at t=0
(sleep(0) round-robins, say).
"""

from .stepper import STATE_COLORS

__all__ = ("task_segments", "plot_timeline")


def task_segments(steps, x="time"):
    """{task name: [(start, end, state, waiting_on)]} from a tracer's steps."""
    key = (lambda s: s["time"]) if x == "time" else (lambda s: s["iteration"])
    segs = {}
    current = {}   # name -> (start, state, waiting_on)
    for s in steps:
        at = key(s)
        for t in s["tasks"]:
            state = (t["state"], t["waiting_on"])
            prev = current.get(t["name"])
            if prev is None or prev[1:] != state:
                if prev is not None:
                    segs.setdefault(t["name"], []).append((prev[0], at) + prev[1:])
                current[t["name"]] = (at,) + state
    end = key(steps[-1]) if steps else 0
    for name, (start, state, waiting_on) in current.items():
        segs.setdefault(name, []).append((start, end, state, waiting_on))
    return segs


def plot_timeline(tracer, *, x="time", ax=None, title=None):
    """Draw the Tasks of ``tracer`` over virtual time (or loop iterations). Returns the Figure."""
    import matplotlib.pyplot as plt
    steps = tracer.steps if hasattr(tracer, "steps") else tracer
    segs = task_segments(steps, x=x)
    names = list(segs)
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 0.45 * len(names) + 1.4))
    else:
        fig = ax.figure
    span = max((end for rows in segs.values() for _, end, _, _ in rows), default=1) or 1
    for row, name in enumerate(names):
        y = len(names) - 1 - row
        for start, end, state, waiting_on in segs[name]:
            if state == "waiting":
                ax.barh(y, max(end - start, span * 0.002), left=start, height=0.5,
                        color=STATE_COLORS["waiting"], alpha=0.75)
                if waiting_on and end - start > span * 0.12:
                    ax.text(start + (end - start) / 2, y, waiting_on, ha="center",
                            va="center", fontsize=7, color="black")
            elif state == "ready":
                ax.barh(y, max(end - start, span * 0.002), left=start, height=0.25,
                        color=STATE_COLORS["ready"])
            elif state == "running":
                ax.plot([start, start], [y - 0.32, y + 0.32], color=STATE_COLORS["running"], lw=2.5)
            elif state in ("done", "cancelled", "failed"):
                ax.plot(start, y, marker="o", color=STATE_COLORS[state], ms=6)
                break
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(list(reversed(names)))
    ax.set_xlabel("virtual time (s)" if x == "time" else "loop iteration")
    ax.set_xlim(-span * 0.02, span * 1.04)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    dot = dict(marker="o", lw=0)
    handles = [Patch(color=STATE_COLORS["waiting"], alpha=0.75, label="waiting"),
               Patch(color=STATE_COLORS["ready"], label="ready"),
               Line2D([], [], color=STATE_COLORS["running"], lw=2.5, label="ran"),
               Line2D([], [], color=STATE_COLORS["done"], label="done", **dot),
               Line2D([], [], color=STATE_COLORS["cancelled"], label="cancelled", **dot),
               Line2D([], [], color=STATE_COLORS["failed"], label="failed", **dot)]
    ax.set_title(title or "Tasks over time", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    # The legend goes in its own strip under the axes, whatever the number of rows.
    fig.legend(handles=handles, loc="lower center", ncol=6, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.1 if len(names) < 4 else 0.06, 1, 1))
    return fig
