"""Backpressure as a picture: a transport's write buffer, loop iteration by loop iteration.

Chapter 07 records, at the end of each iteration of ``_run_once``, how many bytes a writer's
transport still holds (``get_write_buffer_size()``) and whether the writing Task is blocked in
``drain()``, and notes the iterations in which the transport called the protocol's
``pause_writing()`` and ``resume_writing()``. ``plot_write_buffer`` draws one such record per
axes: the buffer as a line, the high- and low-water marks as dashed lines, the iterations
spent blocked in drain() as shaded bands (only those: the gaps between bands are the writer at
work), and each pause/resume as a marker on the mark that triggered it. The x axis counts loop
iterations, never seconds, so the picture is the same on every run.
"""

__all__ = ("plot_write_buffer", "blocked_spans")

KIB = 1024


def blocked_spans(blocked):
    """[(first, last)] index ranges where ``blocked`` (a list of bools) is true."""
    spans, start = [], None
    for i, b in enumerate(list(blocked) + [False]):
        if b and start is None:
            start = i
        elif not b and start is not None:
            spans.append((start, i - 1))
            start = None
    return spans


def plot_write_buffer(sizes, blocked=None, events=(), *, high=64 * KIB, low=16 * KIB, ax=None,
                      title="", label="write buffer"):
    """Draw ``sizes`` (bytes, one per loop iteration) with the water marks; shade the
    iterations where ``blocked`` is true (the writer waits in drain()); mark ``events``,
    ``(iteration, "pause_writing" | "resume_writing")`` pairs, on the high and low marks.
    The legend goes to the right of the axes, so it never hides the buffer. Returns the axes."""
    import matplotlib.pyplot as plt
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3))
    x = range(len(sizes))
    for i, (start, end) in enumerate(blocked_spans(blocked or [])):
        ax.axvspan(start - 0.5, end + 0.5, color="#ef6c00", alpha=0.22, lw=0,
                   label="writer blocked in drain()" if i == 0 else None)
    ax.step(x, [s / KIB for s in sizes], where="mid", color="#1565c0", lw=1.3, label=label)
    ax.axhline(high / KIB, color="#c62828", ls="--", lw=1, label=f"high-water mark ({high // KIB} KiB)")
    ax.axhline(low / KIB, color="#2e7d32", ls=":", lw=1.2, label=f"low-water mark ({low // KIB} KiB)")
    for name, level, marker, color in (("pause_writing", high, "v", "#c62828"),
                                       ("resume_writing", low, "^", "#2e7d32")):
        at = [i for i, event in events if event == name]
        if at:
            ax.plot(at, [level / KIB] * len(at), marker, color=color, ms=6, ls="none",
                    label=f"{name}() called")
    ax.set_xlabel("loop iteration")
    ax.set_ylabel("KiB in the transport's buffer")
    ax.set_xlim(0, max(len(sizes) - 1, 1))
    ax.set_ylim(0, max(max(sizes, default=0), high) / KIB * 1.08)
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), framealpha=0.9)
    return ax
