"""Draw the course's diagrams into images/ (``make images``; ``--out DIR`` to write elsewhere).

Three pictures, each drawn by one function below:

* ``run_once_phases.png`` (+ ``.svg``): one iteration of ``BaseEventLoop._run_once`` as a cycle
  of six phases, beside the three places work waits (``_scheduled``, the selector, ``_ready``),
  with arrows into a structure where a phase writes it and out of it where a phase reads it.
  The phase titles are parsed from the ``# (1)`` ... ``# (6)`` comments of ``_run_once`` and each
  arrow is checked against the phase's code, so the picture cannot drift from the loop.
* ``task_scheduling.png`` (+ ``.svg``): a sequence diagram of a Task: ``create_task`` →
  ``call_soon(__step)`` → ``coro.send(None)`` → the coroutine yields a Future →
  ``add_done_callback(__wakeup)`` → ``set_result`` → ``call_soon(__wakeup)`` → ``__step`` →
  ``StopIteration`` → ``Task.set_result``; and the bare-yield branch (``sleep(0)``).
* ``heap.png`` (+ ``.svg``): a timer heap built by a real minloop loop (``call_later``), as a
  tree and as the list ``loop._scheduled`` that stores it.

Only matplotlib (Agg). Output is byte-for-byte reproducible: fixed sizes and dpi, fonts loaded
from matplotlib's own files (never the system's), no timestamps or software tags in the files,
a fixed SVG id salt. Every figure is checked before it is saved: no text below 9 pt, no two
labels overlapping, every label inside the figure and inside the box it belongs to; a failed
check stops the script with a message that says what collided.
"""

import argparse
import functools
import itertools
import re
import sys
from pathlib import Path

import matplotlib
import matplotlib.text
from matplotlib.backends.backend_agg import FigureCanvasAgg   # Agg, without pyplot's state
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))   # import the minloop of this checkout, installed or not

from minloop import tracing  # noqa: E402  (the parser of _run_once's phase comments)
from minloop.clock import VirtualClock  # noqa: E402
from minloop.events import new_event_loop  # noqa: E402
from minloop.viz.stepper import STATE_COLORS  # noqa: E402  (the stepper's colours, shared)

DPI = 100
MIN_FONT_PT = 9
# Applied while a diagram is drawn and saved (never globally: importing this module, as the
# tests do, changes no one else's matplotlib settings).
RC = {
    "svg.hashsalt": "minloop-images",   # SVG ids from a fixed salt, not a random one
    "svg.fonttype": "path",             # glyphs as paths: the SVG looks the same everywhere
    "path.simplify": False,
    "text.parse_math": False,           # a "$" in a label is a dollar sign
}


def with_rc(draw):
    """Run a diagram function under RC."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(RC):
            return draw(*args, **kwargs)
    return wrapper

# ---------------------------------------------------------------- colours

RUNNING = STATE_COLORS["running"]   # #2e7d32
READY = STATE_COLORS["ready"]       # #1565c0
WAITING = STATE_COLORS["waiting"]   # #ef6c00
DONE = STATE_COLORS["done"]         # #616161
SELECTOR = "#455a64"                # the selector: a place of its own, not a Task state
INK = "#212121"
MUTED = "#616161"
TINT = {RUNNING: "#e8f5e9", READY: "#e3f2fd", WAITING: "#fff3e0", DONE: "#eeeeee",
        SELECTOR: "#eceff1"}

# ---------------------------------------------------------------- fonts (matplotlib's own files)

_TTF = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_FONT_FILES = {(False, False): "DejaVuSans.ttf", (False, True): "DejaVuSans-Bold.ttf",
               (True, False): "DejaVuSansMono.ttf", (True, True): "DejaVuSansMono-Bold.ttf"}


@functools.lru_cache(maxsize=None)
def font(size=10, bold=False, mono=False):
    return FontProperties(fname=str(_TTF / _FONT_FILES[mono, bold]), size=size)


# ================================================================ parsing _run_once

_COMMENT = re.compile(r"^\s*#\s?(.*)$")
N_PHASES = tracing.N_RUN_ONCE_PHASES
run_once_source = tracing.run_once_source


def phase_sections(source=None):
    """Split ``_run_once``'s source at its ``# (k)`` comments.

    Returns ``{k: (comment, code_lines)}`` for k = 1..6: ``comment`` is the whole comment
    block that starts with ``# (k)`` (continuation lines joined, the marker removed) and
    ``code_lines`` are the lines from that comment up to the next phase's. The comments are
    found by ``minloop.tracing.phase_marks`` (the stepper's parser too), which raises
    ValueError unless ``# (1)`` ... ``# (6)`` each appear exactly once, in order."""
    lines = (run_once_source() if source is None else source).splitlines()
    marks = tracing.phase_marks(lines)
    sections = {}
    for n, (i, k, first) in enumerate(marks):
        end = marks[n + 1][0] if n + 1 < len(marks) else len(lines)
        comment = [first]
        for line in lines[i + 1:end]:
            m = _COMMENT.match(line)
            if not m:
                break
            comment.append(m.group(1).strip())
        if not first:
            raise ValueError(f"_run_once: the comment '# ({k})' has no text after the number")
        sections[k] = (" ".join(comment), lines[i:end])
    return sections


def short_title(comment):
    """A diagram label from a phase comment: its first clause, trimmed.

    "Purge cancelled timers. A cancelled TimerHandle stays ..." -> "Purge cancelled timers";
    "Wait for IO, at most `timeout` seconds." -> "Wait for IO";
    "This is the only place where callbacks are actually called. ..." ->
    "The only place where callbacks are called"."""
    s = comment.replace("`", "").replace("*", "").strip()
    s = re.split(r"(?<=[.?!])\s+", s, maxsplit=1)[0]                 # first sentence
    s = re.split(r",\s|;\s|:\s|\s\(|\s[-\u2013\u2014]\s", s, maxsplit=1)[0]   # first clause
    s = s.rstrip(".").strip()
    s = re.sub(r"^(?:This|It) is\s+", "", s)                         # "This is the only ..."
    s = re.sub(r"\s+(?:actually|just|simply|really)\b", "", s)       # filler words
    if not s:
        raise ValueError(f"_run_once: cannot make a title from the phase comment {comment!r}")
    return s[0].upper() + s[1:]


def phase_titles(source=None):
    """``{k: title}`` for the six phases, read from ``_run_once``'s comments."""
    return {k: short_title(comment) for k, (comment, _) in phase_sections(source).items()}


# What each phase does to each structure. The words are ours; `evidence` must match a line in
# that phase's code, so a phase that stops touching a structure makes the script fail, not lie.
# (phase, structure, "reads" | "writes", label, evidence regex)
PHASE_ACCESS = [
    (1, "_scheduled", "writes", "pops cancelled timers off the top",
     r"heappop\(self\._scheduled\)"),
    (2, "_scheduled", "reads", "reads [0]._when: block until the first timer",
     r"self\._scheduled\[0\]\._when"),
    (2, "_ready", "reads", "not empty? then the timeout is 0", r"if self\._ready\b"),
    (3, "_selector", "reads", "select(timeout); a VirtualClock jumps to the timer instead",
     r"self\._selector\.select\("),
    (4, "_selector", "reads", "ready fds give their reader/writer Handles",
     r"self\._process_events\("),
    (4, "_ready", "writes", "appends those Handles", r"self\._process_events\("),
    (5, "_scheduled", "writes", "heappops every timer that is due", r"heappop\(self\._scheduled\)"),
    (5, "_ready", "writes", "appends them", r"self\._ready\.append\("),
    (6, "_ready", "reads", "popleft() ntodo times and runs each Handle",
     r"self\._ready\.popleft\(\)"),
]
# One line of each phase's code, shown in its box: the first line matching the pattern.
PHASE_CODE = {1: r"heappop\(self\._scheduled\)", 2: r"self\._scheduled\[0\]\._when",
              3: r"self\._selector\.select\(", 4: r"self\._process_events\(",
              5: r"self\._ready\.append\(", 6: r"ntodo = len\(self\._ready\)"}


def phase_code_line(k, sections):
    for line in sections[k][1]:
        if re.search(PHASE_CODE[k], line):
            return line.strip()
    raise ValueError(f"_run_once phase ({k}) has no line matching {PHASE_CODE[k]!r}; "
                     "update PHASE_CODE in images/make_images.py")


def check_phase_access(sections):
    for k, struct, _, label, evidence in PHASE_ACCESS:
        if not any(re.search(evidence, line) for line in sections[k][1]):
            raise ValueError(f"the diagram says phase ({k}) {label!r} on {struct}, but no line "
                             f"of that phase matches {evidence!r}; update PHASE_ACCESS")


# ================================================================ drawing helpers


class LayoutError(AssertionError):
    pass


def new_figure(width, height):
    """A figure whose data coordinates are inches from the bottom-left corner (see also
    ``fit_height``)."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    fig._ml_inside = []          # (text, patch) pairs: the text must stay inside the patch
    return fig, ax


def fit_height(fig, ax, bottom, margin=0.25):
    """Crop (or extend) the figure so it ends ``margin`` inches below y = ``bottom``: for a
    diagram drawn from the top down whose height is known only once it is drawn."""
    y0, y1 = ax.get_ylim()
    new_y0 = bottom - margin
    fig.set_size_inches(fig.get_figwidth(), y1 - new_y0)
    ax.set_ylim(new_y0, y1)


def text(ax, x, y, s, size=10, bold=False, mono=False, color=INK, inside=None, **kw):
    kw.setdefault("ha", "left")
    kw.setdefault("va", "center")
    t = ax.text(x, y, s, fontproperties=font(size, bold, mono), color=color, **kw)
    if inside is not None:
        ax.figure._ml_inside.append((t, inside))
    return t


def box(ax, x, y, w, h, fc="white", ec=INK, lw=1.2, radius=0.08, ls="-", z=1):
    p = FancyBboxPatch((x, y), w, h, boxstyle=f"round,pad=0,rounding_size={radius}",
                       fc=fc, ec=ec, lw=lw, ls=ls, zorder=z)
    ax.add_patch(p)
    return p


def arrow(ax, start, end, color=INK, lw=1.6, ls="-", head=12, z=3, **kw):
    a = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=head, color=color, lw=lw,
                        linestyle=ls, shrinkA=0, shrinkB=0, zorder=z, **kw)
    ax.add_patch(a)
    return a


def text_width(ax, s, size=10, bold=False, mono=False):
    """Width of one line of text, in inches (every figure has the same dpi)."""
    return _text_width(ax.figure.canvas.get_renderer(), s, size, bold, mono)


_widths = {}


def _text_width(renderer, s, size, bold, mono):
    key = (s, size, bold, mono)
    if key not in _widths:
        w, _, _ = renderer.get_text_width_height_descent(s, font(size, bold, mono), ismath=False)
        _widths[key] = w / DPI
    return _widths[key]


def _greedy_wrap(ax, words, width, size, bold, mono):
    lines, line = [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if line and text_width(ax, trial, size, bold, mono) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    lines.append(line)
    return lines


def wrap(ax, s, width, size=10, bold=False, mono=False):
    """Word-wrap ``s`` into as few lines as fit in ``width`` inches, balanced: the lines are
    made as even as they can be without needing one more (no lone word on the last line)."""
    words = s.split()
    lines = _greedy_wrap(ax, words, width, size, bold, mono)
    lo, hi = 0.0, width                       # narrowest width that still gives len(lines)
    for _ in range(8):                        # to within width / 256
        mid = (lo + hi) / 2
        if len(_greedy_wrap(ax, words, mid, size, bold, mono)) <= len(lines):
            hi = mid
        else:
            lo = mid
    return "\n".join(_greedy_wrap(ax, words, hi, size, bold, mono))


def check_layout(fig, name):
    """Fail loudly on small text, overlapping labels, or labels outside their box/figure."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    fig_box = fig.bbox
    problems = []
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text()]
    extents = []
    for t in texts:
        if t.get_fontsize() < MIN_FONT_PT:
            problems.append(f"{t.get_text()!r} is {t.get_fontsize()} pt (< {MIN_FONT_PT})")
        e = t.get_window_extent(renderer)
        if not (e.x0 >= fig_box.x0 and e.y0 >= fig_box.y0 and e.x1 <= fig_box.x1
                and e.y1 <= fig_box.y1):
            problems.append(f"{t.get_text()!r} is cut off by the figure edge")
        extents.append(e)
    for (t1, e1), (t2, e2) in itertools.combinations(zip(texts, extents), 2):
        # overlap by more than 1 px in both directions
        if min(e1.x1, e2.x1) - max(e1.x0, e2.x0) > 1 and min(e1.y1, e2.y1) - max(e1.y0, e2.y0) > 1:
            problems.append(f"{t1.get_text()!r} overlaps {t2.get_text()!r}")
    for t, patch in fig._ml_inside:
        e = t.get_window_extent(renderer)
        b = patch.get_window_extent(renderer)
        if not (e.x0 >= b.x0 - 0.5 and e.x1 <= b.x1 + 0.5 and e.y0 >= b.y0 - 0.5
                and e.y1 <= b.y1 + 0.5):
            problems.append(f"{t.get_text()!r} does not fit inside its box")
    if problems:
        raise LayoutError(f"{name}: " + "; ".join(problems))


CHECK_LAYOUT = True


def save(fig, out_dir, name):
    """Check the layout, then write ``name``.png and ``name``.svg reproducibly."""
    if CHECK_LAYOUT:
        check_layout(fig, name)
    out_dir = Path(out_dir)
    fig.savefig(out_dir / f"{name}.png", dpi=DPI, metadata={"Software": None})
    fig.savefig(out_dir / f"{name}.svg", metadata={"Date": None, "Creator": None})
    return [out_dir / f"{name}.png", out_dir / f"{name}.svg"]


# ================================================================ 1. _run_once phases

STRUCTURES = [   # (attribute, what it is, colour), left to right
    ("_scheduled", "heap of TimerHandles", WAITING),
    ("_selector", "fd \u2192 reader/writer Handles", SELECTOR),
    ("_ready", "deque of Handles", READY),
]


@with_rc
def draw_run_once_phases(out_dir, source=None):
    sections = phase_sections(source)
    titles = {k: short_title(comment) for k, (comment, _) in sections.items()}
    check_phase_access(sections)

    W, H = 10.8, 8.2
    fig, ax = new_figure(W, H)
    text(ax, 0.3, H - 0.35, "One iteration of the loop: BaseEventLoop._run_once()", size=15,
         bold=True)
    text(ax, 0.3, H - 0.72, "Phase titles and code lines are read from _run_once in "
         "minloop/base_events.py, so this picture follows the code.", size=9.5, color=MUTED)

    # rows: phase k occupies row k-1 from the top
    top, bottom = H - 1.75, 0.85
    pitch = (top - bottom) / N_PHASES
    box_h = pitch - 0.2
    px, pw = 0.72, 4.25                        # phase boxes
    lane_x0, lane_w, lane_gap = 5.07, 1.82, 0.06

    def row_y(k):                              # centre of row k
        return top - (k - 0.5) * pitch

    # the three structures, as columns
    lanes = {}
    for i, (attr, what, colour) in enumerate(STRUCTURES):
        x = lane_x0 + i * (lane_w + lane_gap)
        lanes[attr] = (x, colour)
        box(ax, x, bottom - 0.05, lane_w, top - bottom + 0.1, fc=TINT[colour], ec=colour, lw=1.0,
            z=0)
        head = box(ax, x, top + 0.12, lane_w, 0.72, fc=colour, ec=colour, lw=1.0)
        text(ax, x + lane_w / 2, top + 0.62, attr, size=12, bold=True, mono=True, color="white",
             ha="center", inside=head)
        text(ax, x + lane_w / 2, top + 0.32, what, size=9, color="white", ha="center",
             inside=head)

    # how to read the arrows, in the space above the phases
    ly = top + 0.62
    arrow(ax, (px + 0.1, ly), (px + 0.5, ly), lw=2, head=13)
    ax.plot([px + 0.5, px + 0.5], [ly - 0.13, ly + 0.13], color=INK, lw=2)
    text(ax, px + 0.62, ly, "into a column: the phase writes that structure", size=9.5)
    ly -= 0.32
    arrow(ax, (px + 0.5, ly), (px + 0.1, ly), lw=2, head=13)
    ax.plot([px + 0.5, px + 0.5], [ly - 0.13, ly + 0.13], color=INK, lw=2)
    text(ax, px + 0.62, ly, "out of a column: the phase reads it", size=9.5)

    # the phases
    for k in range(1, N_PHASES + 1):
        y = row_y(k)
        running = k == N_PHASES
        colour = RUNNING if running else INK
        b = box(ax, px, y - box_h / 2, pw, box_h, fc=TINT[RUNNING] if running else "white",
                ec=colour, lw=1.8 if running else 1.2, z=2)
        badge = Circle((px + 0.28, y), 0.18, fc=colour, ec=colour, zorder=3)
        ax.add_patch(badge)
        text(ax, px + 0.28, y, str(k), size=11, bold=True, color="white", ha="center",
             inside=badge, zorder=4)
        title = wrap(ax, titles[k], pw - 0.6, size=10, bold=True)
        code = phase_code_line(k, sections)
        code_y = y - box_h / 2 + 0.08
        text(ax, px + 0.54, (code_y + 0.17 + y + box_h / 2) / 2, title, size=10, bold=True,
             color=colour, inside=b, zorder=4, linespacing=1.1)
        text(ax, px + 0.54, code_y, code, size=9, mono=True, color=MUTED, va="bottom", inside=b,
             zorder=4)
        # a faint guide from the box across the columns, so each row reads as one line
        ax.plot([px + pw, lane_x0 + 3 * lane_w + 2 * lane_gap], [y, y], color="#bdbdbd",
                lw=0.8, ls=(0, (2, 3)), zorder=0.5)
        if k < N_PHASES:
            arrow(ax, (px + pw / 2, y - box_h / 2), (px + pw / 2, row_y(k + 1) + box_h / 2),
                  head=11, lw=1.4)

    # run_forever loops back from (6) to (1)
    yb, yt = row_y(N_PHASES) - box_h / 2, row_y(1)
    xl = 0.36
    ax.plot([px + pw / 2, px + pw / 2, xl, xl], [yb, bottom - 0.45, bottom - 0.45, yt],
            color=RUNNING, lw=1.8, zorder=1, solid_joinstyle="round")
    arrow(ax, (xl, yt), (px, yt), color=RUNNING, lw=1.8)
    text(ax, xl - 0.15, (yt + bottom) / 2, "run_forever(): next iteration, until stop()",
         size=10, color=RUNNING, rotation=90, ha="center")

    # reads and writes
    for k, struct, how, label, _ in PHASE_ACCESS:
        x, colour = lanes[struct]
        y = row_y(k)
        a, b_ = (x + 0.06, y), (x + 0.42, y)
        arrow(ax, *((a, b_) if how == "writes" else (b_, a)), color=colour, lw=2, head=13)
        text(ax, x + 0.5, y, wrap(ax, label, lane_w - 0.58, size=9), size=9, color=INK,
             linespacing=1.1, bbox=dict(boxstyle="square,pad=0.05", fc=TINT[colour], ec="none"))

    # legend along the bottom
    text(ax, px, 0.14, "(6) runs exactly the Handles that were in _ready when it began "
         "(ntodo); Handles they add wait for the next iteration.", size=9.5, color=MUTED)
    return save(fig, out_dir, "run_once_phases")


# ================================================================ 2. Task scheduling


class Sequence:
    """A small sequence-diagram drawer: lifelines at fixed x, messages at given y."""

    def __init__(self, ax, lifelines):
        self.ax = ax
        self.x = lifelines            # name -> x
        self.n = 0

    def _x(self, where):
        return self.x[where] if isinstance(where, str) else where

    def number(self, x, y):
        """The next step number, in a dark disc centred at (x, y)."""
        self.n += 1
        c = Circle((x, y), 0.13, fc=INK, ec=INK, zorder=7)
        self.ax.add_patch(c)
        text(self.ax, x, y, str(self.n), size=9, bold=True, color="white", ha="center",
             inside=c, zorder=8)

    def label(self, x, y, s, numbered, align, mono=True, color=INK):
        """A message label whose left end (align="left") or right end is at x. A white
        backing hides the dashed lifelines it crosses."""
        width = text_width(self.ax, s, 10, mono=mono) + (0.34 if numbered else 0)
        x0 = x if align == "left" else x - width
        if numbered:
            self.number(x0 + 0.13, y)
            x0 += 0.34
        text(self.ax, x0, y, s, size=10, mono=mono, color=color, zorder=6,
             bbox=dict(boxstyle="square,pad=0.08", fc="white", ec="none"))

    def message(self, y, src, dst, label, reply=False, color=INK, mono=True, numbered=True,
                align="left"):
        """An arrow from ``src`` to ``dst`` (lifeline names, or an x for a message from
        outside) at height y, labelled above: near its left end, or its right end."""
        x1, x2 = self._x(src), self._x(dst)
        arrow(self.ax, (x1, y), (x2, y), color=color, lw=1.5, ls="--" if reply else "-", z=4)
        lx = min(x1, x2) + 0.12 if align == "left" else max(x1, x2) - 0.12
        self.label(lx, y + 0.19, label, numbered, align, mono, color)

    def found(self, y, x_from, dst, label, align="left"):
        """A message from outside the diagram (a dot at x_from)."""
        self.ax.add_patch(Circle((x_from, y), 0.06, fc=INK, zorder=5))
        self.message(y, x_from, dst, label, align=align)

    def self_message(self, y, who, label, color=INK):
        """A call a lifeline makes on itself: a small loop on its right, labelled beside."""
        x = self.x[who]
        d = 0.42
        self.ax.plot([x + 0.1, x + d, x + d], [y + 0.12, y + 0.12, y - 0.12], color=color,
                     lw=1.5, zorder=4)
        arrow(self.ax, (x + d, y - 0.12), (x + 0.1, y - 0.12), color=color, lw=1.5, z=4)
        self.label(x + d + 0.12, y, label, True, "left", True, color)


@with_rc
def draw_task_scheduling(out_dir):
    W, H = 10.8, 20.0          # H is provisional: fit_height crops the figure at the end
    fig, ax = new_figure(W, H)
    L, T, C, F = 1.45, 4.0, 6.45, 8.75       # lifelines: loop, Task, coroutine, Future
    seq = Sequence(ax, {"loop": L, "task": T, "coro": C, "fut": F})

    text(ax, 0.3, H - 0.35, "How a Task runs: __step, __wakeup and the ready queue", size=15,
         bold=True)
    text(ax, 0.3, H - 0.7, "minloop/tasks.py: Task.__step, Task.__wakeup     "
         "minloop/futures.py: Future.add_done_callback, Future._schedule_callbacks",
         size=9.5, color=MUTED)

    # legend: the Task's state, as drawn on its lifeline
    lx = 0.3
    text(ax, lx, H - 1.08, "Task state:", size=9.5, color=MUTED)
    lx += 0.95
    for state, colour in (("ready (its Handle is in _ready)", READY), ("running", RUNNING),
                          ("waiting (on a Future)", WAITING), ("done", DONE)):
        ax.add_patch(FancyBboxPatch((lx, H - 1.15), 0.3, 0.14, boxstyle="square,pad=0",
                                    fc=colour, ec=colour))
        text(ax, lx + 0.38, H - 1.08, state, size=9.5)
        lx += 0.38 + text_width(ax, state, 9.5) + 0.35

    # lifeline heads and dashed lifelines
    head_y = H - 1.95
    heads = {"loop": ("loop", "runs _ready in phase (6)"), "task": ("Task", "a Future that steps"),
             "coro": ("coroutine", "coro = main()"), "fut": ("fut", "a Future")}
    for key, (name, sub) in heads.items():
        x = seq.x[key]
        b = box(ax, x - 0.95, head_y, 1.9, 0.62, fc="#fafafa", ec=INK, lw=1.2)
        text(ax, x, head_y + 0.42, name, size=11, bold=True, ha="center", inside=b)
        text(ax, x, head_y + 0.17, sub, size=9, mono=key == "coro", color=MUTED,
             ha="center", inside=b)

    def ready_badge(y, label):
        """What sits in _ready now: a blue pill left of the loop's lifeline."""
        b = box(ax, 0.12, y - 0.15, L - 0.24, 0.3, fc=TINT[READY], ec=READY, lw=1.2,
                radius=0.06, z=5)
        text(ax, 0.12 + (L - 0.24) / 2, y, label, size=9, mono=True, color=READY, ha="center",
             inside=b, zorder=6)

    def note(x, y, s, colour=MUTED, width=1.8, **kw):
        text(ax, x, y, wrap(ax, s, width, size=9.5), size=9.5, color=colour, va="top",
             linespacing=1.15, zorder=6, **kw)

    def divider(y, s):
        ax.plot([0.12, W - 0.12], [y, y], color="#9e9e9e", lw=1, ls=(0, (1, 2)), zorder=1)
        text(ax, W / 2, y, s, size=10, ha="center", zorder=6,
             bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="#9e9e9e"))

    task_states = []                         # (y_top, y_bottom, colour) on the Task's lifeline
    coro_runs = []                           # (y_top, y_bottom): the coroutine is running

    y = head_y - 0.55
    seq.found(y, 0.15, "task", "loop.create_task(coro)")
    y -= 0.6
    seq.message(y, "task", "loop", "loop.call_soon(self.__step)")
    ready_badge(y - 0.3, "[__step]")
    note(T + 0.22, y - 0.12, "Task.__init__ schedules the first step; nothing runs yet")
    y_ready = y
    y -= 0.85
    seq.message(y, "loop", "task", "(6) runs __step()")
    task_states.append((y_ready, y, READY))
    y_run = y
    y -= 0.6
    seq.message(y, "task", "coro", "coro.send(None)")
    y_send = y
    note(C + 0.22, y - 0.12, "your code runs up to an await that has to wait")
    y -= 0.75
    seq.message(y, "coro", "task", "yield fut", reply=True)
    note(C + 0.22, y - 0.12, "await fut: fut.__await__() yields the Future itself")
    coro_runs.append((y_send, y))
    y -= 0.75
    seq.message(y, "task", "fut", "fut.add_done_callback(self.__wakeup)")
    task_states.append((y_run, y, RUNNING))
    y_wait = y
    note(T + 0.22, y - 0.12, "self._fut_waiter = fut; __step returns and the loop runs "
         "other Handles", colour=WAITING, width=2.6)
    y -= 0.95
    divider(y, "\u2026 later, a timer, an IO callback or another Task completes the Future \u2026")
    y -= 0.6
    seq.found(y, W - 0.15, "fut", "fut.set_result(v)", align="right")
    y_done_fut = y
    y -= 0.6
    seq.message(y, "fut", "loop", "loop.call_soon(task.__wakeup, fut)", align="right")
    note(F - 0.15, y - 0.12, "in fut._schedule_callbacks()", width=2.2, ha="right")
    task_states.append((y_wait, y, WAITING))
    ready_badge(y - 0.3, "[__wakeup]")
    y_ready = y
    y -= 0.85
    seq.message(y, "loop", "task", "(6) runs __wakeup(fut)")
    task_states.append((y_ready, y, READY))
    y_run = y
    y -= 0.6
    seq.self_message(y, "task", "fut.result() raised nothing: self.__step()")
    y -= 0.6
    seq.message(y, "task", "coro", "coro.send(None)")
    y_send = y
    note(C + 0.22, y - 0.12, "await fut returns v (fut.result()) and your code carries on")
    y -= 0.75
    seq.message(y, "coro", "task", "StopIteration(value)", reply=True)
    note(C + 0.22, y - 0.12, "the coroutine returned value", width=2.0)
    coro_runs.append((y_send, y))
    y_coro_end = y
    y -= 0.75
    seq.self_message(y, "task", "super().set_result(value)")
    task_states.append((y_run, y, RUNNING))
    y_task_done = y
    y -= 0.6
    seq.message(y, "task", "loop", "loop.call_soon(cb, task)")
    ready_badge(y - 0.3, "[callbacks]")
    note(T + 0.22, y - 0.12, "for each of the Task's own done callbacks: a Task is a Future, "
         "so whoever awaits it is woken through _ready too, exactly like step 8", width=3.4)
    y_main_end = y - 0.95
    task_states.append((y_task_done, y_main_end, DONE))

    # the other branch: a bare yield
    y = y_main_end - 0.35
    divider(y, "The other branch, at step 5: the coroutine yields None "
            "(await sleep(0) is a bare yield)")
    y -= 0.6
    y_branch = y
    seq.message(y, "coro", "task", "yield", reply=True, numbered=False)
    note(C + 0.22, y - 0.12, "None: no Future to wait for")
    coro_runs.append((y + 0.35, y))
    y -= 0.6
    seq.message(y, "task", "loop", "loop.call_soon(self.__step)", numbered=False)
    task_states.append((y_branch + 0.35, y, RUNNING))
    ready_badge(y - 0.3, "[__step]")
    note(T + 0.22, y - 0.12, "no callback: the Task is ready at once and steps again on the "
         "next iteration (back to step 3), after the Handles already in _ready",
         colour=READY, width=3.4)
    y_end = y - 0.7
    task_states.append((y, y_end, READY))
    for x in seq.x.values():
        ax.plot([x, x], [head_y, y_end], color="#9e9e9e", lw=1, ls=(0, (4, 3)), zorder=1)

    # the Task's lifeline: a bar coloured by state; the coroutine's: green while it runs
    for y1, y2, colour in task_states:
        ax.add_patch(FancyBboxPatch((T - 0.07, y2), 0.14, y1 - y2, boxstyle="square,pad=0",
                                    fc=colour, ec="none", zorder=2))
    for y1, y2 in coro_runs:
        ax.add_patch(FancyBboxPatch((C - 0.07, y2), 0.14, y1 - y2, boxstyle="square,pad=0",
                                    fc=RUNNING, ec="none", zorder=2))
    for dx in (-1, 1):   # the coroutine has finished: an X ends its lifeline (main branch)
        ax.plot([C - 0.12, C + 0.12], [y_coro_end - 0.15 - 0.12 * (1 + dx),
                                       y_coro_end - 0.15 - 0.12 * (1 - dx)], color=INK, lw=1.5)
    ax.add_patch(FancyBboxPatch((F - 0.07, y_main_end), 0.14, y_done_fut - y_main_end,
                                boxstyle="square,pad=0", fc=DONE, ec="none", zorder=2))
    fit_height(fig, ax, y_end)
    return save(fig, out_dir, "task_scheduling")


# ================================================================ 3. the timer heap

HEAP_DELAYS = [3, 1, 2.5, 0.5, 4, 2, 1.5]      # call_later order; the heap is not sorted


def timer_heap():
    """The ``when`` of each TimerHandle in a real loop's ``_scheduled``, in list order."""
    loop = new_event_loop(clock=VirtualClock())
    try:
        for delay in HEAP_DELAYS:
            loop.call_later(delay, print)
        return [h._when for h in loop._scheduled]
    finally:
        loop.close()


def unsorted_example(whens):
    """A sentence showing that a heap list is not sorted, from the data itself."""
    for i, a in enumerate(whens):
        later = [b for b in whens[i + 1:] if b < a]
        if later:
            return (f"the list is not sorted: {a:g} sits before "
                    + " and ".join(f"{b:g}" for b in later) + ".")
    return "(this heap happens to be sorted; a heap need not be.)"


@with_rc
def draw_heap(out_dir):
    whens = timer_heap()
    n = len(whens)
    W, H = 10.8, 5.3
    fig, ax = new_figure(W, H)
    text(ax, 0.3, H - 0.35, "The timer heap: loop._scheduled is a list kept in heap order",
         size=15, bold=True)
    text(ax, 0.3, H - 0.7, f"Built by a real minloop loop: call_later(d, ...) for d in "
         f"{HEAP_DELAYS}, on a VirtualClock at t = 0. Numbers are TimerHandle._when.",
         size=9.5, color=MUTED)

    def cell(x, y, w, h, i, radius):
        root = i == 0
        b = box(ax, x, y, w, h, fc="#ffe0b2" if root else TINT[WAITING], ec=WAITING,
                lw=2.2 if root else 1.2, radius=radius, z=2)
        text(ax, x + w / 2, y + h * 0.62, f"{whens[i]:g}", size=11, bold=root, mono=True,
             ha="center", inside=b, zorder=3)
        text(ax, x + w / 2, y + h * 0.25, f"[{i}]", size=9, mono=True, color=MUTED,
             ha="center", inside=b, zorder=3)

    # the tree: level d holds indices 2**d - 1 ... 2**(d+1) - 2
    tree_l, tree_r, tree_top, level_h = 0.3, 4.9, H - 1.5, 1.15
    pos = {}
    for i in range(n):
        d = (i + 1).bit_length() - 1
        j = i - (2 ** d - 1)
        pos[i] = (tree_l + (j + 0.5) * (tree_r - tree_l) / 2 ** d, tree_top - 0.3 - d * level_h)
    for i in range(1, n):
        (x1, y1), (x2, y2) = pos[(i - 1) // 2], pos[i]
        ax.plot([x1, x2], [y1, y2], color=WAITING, lw=1.4, zorder=1)
    for i in range(n):
        x, y = pos[i]
        cell(x - 0.42, y - 0.27, 0.84, 0.54, i, 0.1)
    rx, ry = pos[0]
    text(ax, rx + 0.55, ry, "_scheduled[0]: the earliest\ntimer, always at the top",
         size=9.5, color=WAITING, linespacing=1.15)

    # the list, with arcs from each parent to its children: left child above, right below
    cw, ch = 0.6, 0.54
    x0, y0 = 5.45, H - 2.75
    text(ax, x0, H - 1.2, "the same heap, as the list loop._scheduled", size=10.5, bold=True)
    for i in range(n):
        cell(x0 + i * cw, y0, cw, ch, i, 0.03)
    for i in range(1, n):
        p = (i - 1) // 2
        xa, xb = x0 + (p + 0.5) * cw, x0 + (i + 0.5) * cw
        left = i % 2 == 1
        ya = y0 + ch if left else y0
        ax.add_patch(FancyArrowPatch((xa, ya), (xb, ya), arrowstyle="-|>", mutation_scale=10,
                                     color=WAITING, lw=1.1, shrinkA=3, shrinkB=3, zorder=1,
                                     connectionstyle=f"arc3,rad={-0.4 if left else 0.4}"))
    text(ax, x0 + n * cw + 0.1, y0 + ch + 0.25, "left child\n[2i+1]", size=9, color=WAITING,
         linespacing=1.1)
    text(ax, x0 + n * cw + 0.1, y0 - 0.25, "right child\n[2i+2]", size=9, color=WAITING,
         linespacing=1.1)
    lines = [
        ("parent of [i]: [(i-1)//2]", True),
        ("every parent <= its children, so [0] is the earliest.", False),
        (unsorted_example(whens), False),
        ("heappush and heappop swap along one branch: O(log n).", False),
        ("cancel() leaves a TimerHandle in place; phase (1) purges it.", False),
    ]
    for j, (s, mono) in enumerate(lines):
        text(ax, x0, y0 - 0.95 - j * 0.3, s, size=9.5, color=INK if mono else MUTED, mono=mono)
    return save(fig, out_dir, "heap")


# ================================================================ main

DIAGRAMS = {"run_once_phases": draw_run_once_phases, "task_scheduling": draw_task_scheduling,
            "heap": draw_heap}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(HERE), help="directory to write into (default: "
                        "the images/ directory beside this script)")
    parser.add_argument("--no-check", action="store_true", help="save even if labels "
                        "overlap or do not fit (only to look at a layout while fixing it)")
    args = parser.parse_args(argv)
    global CHECK_LAYOUT
    CHECK_LAYOUT = not args.no_check
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, draw in DIAGRAMS.items():
        for path in draw(out):
            print(path)


if __name__ == "__main__":
    main()
