"""The _run_once stepper: go back and forth through a recorded run of the loop.

A program runs once, on virtual time, with a Tracer attached (minloop.tracing). Every view
here reads that one record, ``tracer.steps``, so none can show something the loop did not do:

* ``render_text(i)``: plain text, fixed prefixes (what nbval and a terminal see);
* ``render_html(i)``: the panels as static HTML (what a stored notebook and nbviewer show);
* ``widget()``: ipywidgets buttons and a slider over the same HTML panels (live Jupyter).

Displaying a Stepper in a notebook sends all three; JupyterLab shows the live widget.
"""

import html
import inspect
import io
import json
import math
import re
from pathlib import Path

from ..base_events import BaseEventLoop
from ..tracing import phase_marks, trace_run

__all__ = ("Stepper", "phase_lines")

PHASE_TITLES = {
    "purge": "(1) purge cancelled timers",
    "timeout": "(2) compute the select timeout",
    "select": "(3) select: wait for IO (or jump the virtual clock)",
    "process_events": "(4) turn IO events into ready handles",
    "timers": "(5) move due timers to _ready",
    "run": "(6) run one ready handle",
    "end": "end of the iteration",
}

STATE_COLORS = {"running": "#2e7d32", "ready": "#1565c0", "waiting": "#ef6c00",
                "done": "#616161", "cancelled": "#8e24aa", "failed": "#c62828"}


# ---------------------------------------------------------------- _run_once's source, by phase

def _run_once_source():
    lines, _ = inspect.getsourcelines(BaseEventLoop._run_once)
    return [line.rstrip("\n") for line in lines]


def phase_lines(source_lines=None):
    """{phase: set of 1-based line numbers of _run_once's source that the phase executes}.

    Found from the numbered comments "# (1)" ... "# (6)" in the source itself (parsed by
    minloop.tracing.phase_marks, as images/make_images.py does), so the highlight follows
    the code if it is edited."""
    src = source_lines or _run_once_source()
    marks = {k: i + 1 for i, k, _ in phase_marks(src)}
    end_line = next(n for n, line in enumerate(src, 1) if 'trace("end"' in line)
    ranges = {}
    names = ["purge", "timeout", "select", "process_events", "timers", "run"]
    for k, name in enumerate(names, 1):
        start = marks[k]
        stop = marks.get(k + 1, end_line) - 1
        ranges[name] = set(range(start, stop + 1))
    ranges["end"] = {end_line}
    return ranges


def outline_source(src, ranges, phase):
    """_run_once as an outline: every phase folded to its first (comment) line, except the
    current one, shown in full. Returns (text, highlighted 1-based line numbers of text)
    so the highlighted lines are always in view, however small the panel."""
    first = min(min(r) for r in ranges.values())
    out, marked = [], set()
    # The def line and the statements before phase (1), without the docstring.
    out.append(src[0])
    body = src[1:first - 1]
    quotes = [i for i, line in enumerate(body) if '"""' in line]
    doc_start, doc_end = quotes[0], (quotes[0] if body[quotes[0]].count('"""') == 2 else quotes[1])
    out += [line for line in body[:doc_start] + body[doc_end + 1:] if line.strip()]
    shown = "run" if phase == "end" else phase
    for name in ["purge", "timeout", "select", "process_events", "timers", "run"]:
        lines = sorted(ranges[name])
        if name == "run":
            lines = lines + sorted(ranges["end"])
        if name != shown:
            indent = src[lines[0] - 1][:len(src[lines[0] - 1]) - len(src[lines[0] - 1].lstrip())]
            out.append(indent + _folded_title(src, lines[0]))
            out.append(f"{indent}...  ({len(lines) - 1} more lines)")
            continue
        for n in lines:
            out.append(src[n - 1])
            if src[n - 1].strip() and n in ranges[phase]:
                marked.add(len(out))
    return "\n".join(out) + "\n", marked


def _folded_title(src, n):
    """The comment that opens a folded phase (line ``n``, 1-based), cut after its first
    sentence, with " …" if the comment goes on: the first line of a comment that runs over
    several lines often stops mid-sentence ("... stays in the heap (removing")."""
    line = src[n - 1].strip()
    m = re.match(r"#\s*\(\d+\).*?[.?!:](?=\s|$)", line)
    goes_on = n < len(src) and src[n].strip().startswith("#")
    if m is None:
        return line + (" …" if goes_on else "")
    return m.group(0) + (" …" if goes_on or len(m.group(0)) < len(line) else "")


# ---------------------------------------------------------------- the Stepper

class Stepper:
    """Step through a run of ``main`` (a coroutine function, called with no arguments, or a
    coroutine), recorded on virtual time. Or pass ``tracer=`` a Tracer already recorded.
    ``name`` names the main Task in the record (default: 'Task-N')."""

    def __init__(self, main=None, *, tracer=None, title="", start=0, name=None):
        if tracer is None:
            coro = main() if callable(main) else main
            _, tracer = trace_run(coro, name=name)
        self.tracer = tracer
        self.steps = tracer.steps
        self.title = title or getattr(main, "__name__", "")
        self.index = min(max(start, 0), len(self.steps) - 1)
        self._source = _run_once_source()
        self._phase_lines = phase_lines(self._source)
        self._source_html = {}
        self._widget = None

    # ------------------------------------------------------------ moving

    def goto(self, i):
        self.index = min(max(int(i), 0), len(self.steps) - 1)
        if self._widget is not None:
            self._slider.value = self.index   # the slider's observer re-renders
        return self

    def step(self):
        return self.goto(self.index + 1)

    def back(self):
        return self.goto(self.index - 1)

    def next_iteration(self):
        """Jump to the first phase (purge) of the next iteration of _run_once."""
        it = self.steps[self.index]["iteration"]
        for j in range(self.index + 1, len(self.steps)):
            if self.steps[j]["iteration"] > it:
                return self.goto(j)
        return self.goto(len(self.steps) - 1)

    def run_to_end(self):
        return self.goto(len(self.steps) - 1)

    def reset(self):
        return self.goto(0)

    @property
    def current(self):
        return self.steps[self.index]

    # ------------------------------------------------------------ text view

    def render_text(self, i=None):
        s = self.steps[self.index if i is None else i]
        # Step numbers are 0-based, like goto(i), the slider and the record's "step" field.
        lines = [f"step {s['step']}/{len(self.steps) - 1} | iteration {s['iteration']} | "
                 f"{PHASE_TITLES[s['phase']]} | t={s['time']:.3f}"]
        if s["phase"] == "timeout":
            lines.append(f"timeout : {_fmt_timeout(s['timeout'])}")
        if s["phase"] == "select":
            lines.append(f"events  : {len(s['events'])}")
        lines.append(f"running : {s['handle'] or '-'}")
        lines.append(f"ready   : [{', '.join(s['ready'])}]")
        timers = ", ".join(f"{t['when']:.3f} {t['callback']}" + (" ✕ cancelled" if t["cancelled"] else "")
                           for t in s["scheduled"])
        lines.append(f"timers  : [{timers}]")
        sel = ", ".join(_sel_label(r) for r in s["selector"])
        lines.append(f"selector: [{sel}]")
        for t in s["tasks"]:
            wait = f" on {t['waiting_on']}" if t["waiting_on"] else ""
            lines.append(f"task    : {t['name']} ({t['coro']}) {t['state']}{wait}")
        out = self.tracer.output_at(s["step"]).rstrip("\n").splitlines()
        shown = (["…"] if len(out) > 4 else []) + out[-4:]   # the last lines; "…" if more
        lines.append("output  : " + (" / ".join(shown) if out else "-"))
        return "\n".join(lines)

    def __repr__(self):
        return self.render_text()

    # ------------------------------------------------------------ HTML view

    def _source_block(self, phase):
        if phase not in self._source_html:
            text, marked = outline_source(self._source, self._phase_lines, phase)
            self._source_html[phase] = _highlight(text, marked)
        return self._source_html[phase]

    def render_html(self, i=None):
        """Step ``i`` (default: the current one) as static HTML panels."""
        i = self.index if i is None else i
        s = self.steps[i]
        head, right = self._step_parts(s)
        return _layout(s["step"], s["phase"], head, self._source_block(s["phase"]), right)

    def _step_parts(self, s):
        """The header and the right-hand panels of one step (the left panel, the source,
        depends only on the phase)."""
        e = html.escape
        head = (f"<div style='font:600 14px sans-serif;margin-bottom:4px'>"
                f"{e(self.title)} &middot; step {s['step']}/{len(self.steps) - 1} &middot; "
                f"iteration {s['iteration']} &middot; <span style='color:#1565c0'>"
                f"{e(PHASE_TITLES[s['phase']])}</span> &middot; clock t = {s['time']:.3f}</div>")
        extra = ""
        if s["phase"] == "timeout":
            extra = f"<div>select timeout: <b>{e(_fmt_timeout(s['timeout']))}</b></div>"
        elif s["phase"] == "select":
            extra = f"<div>select returned <b>{len(s['events'])}</b> event(s)</div>"
        running = (f"<div class='ml-running' style='margin:4px 0'>running: "
                   f"<code style='background:#c8e6c9;padding:2px 6px'>{e(s['handle'])}</code></div>"
                   if s["handle"] else "<div style='margin:4px 0;color:#777'>running: -</div>")
        ready = "".join(f"<span class='ml-ready-item' style='display:inline-block;border:1px solid "
                        f"#1565c0;border-radius:3px;padding:1px 5px;margin:1px;font:12px monospace'>"
                        f"{e(name)}</span>" for name in s["ready"]) or "<i>empty</i>"
        ready = f"<div><b>_ready</b> (deque, head on the left): {ready}</div>"
        timers = f"<div><b>_scheduled</b> (heap of TimerHandles):</div>{_heap_svg(s['scheduled'])}"
        sel_rows = "".join(f"<tr><td>{e(_sel_label(r))}</td><td>{e(r['reader'] or '')}</td>"
                           f"<td>{e(r['writer'] or '')}</td></tr>" for r in s["selector"])
        sel = (f"<div><b>selector</b></div><table class='ml-selector' style='font:12px monospace'>"
               f"<tr><th>fd</th><th>reader</th><th>writer</th></tr>{sel_rows}</table>")
        task_rows = "".join(
            f"<tr class='ml-task'><td>{e(t['name'])}</td><td>{e(t['coro'])}</td>"
            f"<td style='color:{STATE_COLORS[t['state']]};font-weight:600'>{t['state']}</td>"
            f"<td>{e(t['waiting_on'] or '')}</td></tr>" for t in s["tasks"])
        tasks = (f"<div><b>Tasks</b></div><table class='ml-tasks' style='font:12px monospace'>"
                 f"<tr><th>name</th><th>coro</th><th>state</th><th>_fut_waiter</th></tr>"
                 f"{task_rows}</table>")
        output = e(self.tracer.output_at(s["step"])) or "<i>nothing yet</i>"
        output = (f"<div><b>output</b></div><pre class='ml-output' style='margin:0;max-height:8em;"
                  f"overflow:auto;background:#f5f5f5;padding:4px'>{output}</pre>")
        return head, f"{extra}{running}{ready}{timers}{sel}{tasks}{output}"

    # ------------------------------------------------------------ static player

    def render_player_html(self):
        """The stepper as a self-contained HTML player: every step's panels, rendered here
        by render_html's own code, travel with the page, and a small script (player.js)
        swaps them on Step, Back, Next iteration, Run to end, Reset and the slider. With no
        JavaScript (a stored notebook on a site that strips scripts) it shows the current
        step and hides the buttons."""
        rights, right_index, parts = [], {}, []
        for s in self.steps:
            head, right = self._step_parts(s)
            if right not in right_index:           # many steps share their panels
                right_index[right] = len(rights)
                rights.append(right)
            parts.append([head, right_index[right]])
        data = {
            "template": _layout("@@STEP@@", "@@PHASE@@", "@@HEAD@@", "@@LEFT@@", "@@RIGHT@@"),
            "sources": {phase: self._source_block(phase) for phase in PHASE_TITLES},
            "phases": [s["phase"] for s in self.steps],
            "iterations": [s["iteration"] for s in self.steps],
            "parts": parts,
            "rights": rights,
            # The record itself, for checking a page against it (the browser tests do).
            "trace": [{"time": s["time"], "handle": s["handle"], "ready": s["ready"],
                       "when": [t["when"] for t in s["scheduled"]],
                       "tasks": [[t["name"], t["state"]] for t in s["tasks"]]}
                      for s in self.steps],
        }
        # "</" would end the <script> element early; "<\/" is the same string in JSON.
        payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
        buttons = "".join(f"<button data-act='{act}' style='margin-right:4px'>{label}</button>"
                          for act, label in _PLAYER_BUTTONS)
        controls = (f"<div class='mlp-controls' style='display:none;margin-bottom:6px'>{buttons}"
                    f"<input class='mlp-slider' type='range' min='0' max='{len(self.steps) - 1}' "
                    f"value='{self.index}' style='width:40%;vertical-align:middle'></div>")
        return (f"<div class='minloop-player'>{controls}"
                f"<div class='mlp-view'>{self.render_html()}</div>"
                f"<script type='application/json' class='mlp-data'>{payload}</script>"
                f"<script>{_player_js()}</script></div>")

    # ------------------------------------------------------------ live widget

    def widget(self):
        """The ipywidgets UI: Step, Back, Next iteration, Run to end, Reset, and a slider."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as w
        buttons = []
        for label, action, width in [("◀ Back", self.back, "80px"),
                                     ("Step ▶", self.step, "80px"),
                                     ("Next iteration ▶▶", self.next_iteration, "140px"),
                                     ("Run to end ▶|", self.run_to_end, "115px"),
                                     ("Reset ⟲", self.reset, "80px")]:
            b = w.Button(description=label, layout=w.Layout(width=width))
            b.on_click(lambda _b, act=action: act())
            buttons.append(b)
        self._slider = w.IntSlider(value=self.index, min=0, max=len(self.steps) - 1,
                                   description="step", continuous_update=True,
                                   layout=w.Layout(width="60%"))
        self._panels = w.HTML(self.render_html())

        def on_slide(change):
            self.index = change["new"]
            self._panels.value = self.render_html()

        self._slider.observe(on_slide, names="value")
        self._widget = w.VBox([w.HBox(buttons + [self._slider]), self._panels])
        self._widget.add_class("minloop-stepper-widget")   # for browser tests to find it
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": self.render_text(), "text/html": self.render_player_html()}
        try:
            view = self.widget()._repr_mimebundle_()
        except ImportError:   # no ipywidgets: the static views still work
            return bundle
        if view and "application/vnd.jupyter.widget-view+json" in view:
            bundle["application/vnd.jupyter.widget-view+json"] = \
                view["application/vnd.jupyter.widget-view+json"]
        return bundle


# ---------------------------------------------------------------- small renderers

_PLAYER_BUTTONS = [("back", "◀ Back"), ("step", "Step ▶"), ("next", "Next iteration ▶▶"),
                   ("end", "Run to end ▶|"), ("reset", "Reset ⟲")]


def _highlight(text, marked):
    """Python source as HTML with CSS classes (the style sheet is in _layout, once), the
    ``marked`` lines highlighted.

    Each line is a block of its own that wraps inside the panel, with a hanging indent: the
    line starts at its own indentation and its continuation rows start two columns further
    in, so a long comment stays readable instead of being cut at the panel's edge. The
    newline stays at the end of each line's block, so copying the panel copies the code."""
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer
    lines = [[]]                                   # the tokens of each line, without "\n"
    for ttype, value in PythonLexer(stripnl=False).get_tokens(text):
        for k, part in enumerate(value.split("\n")):
            if k:
                lines.append([])
            if part:
                lines[-1].append((ttype, part))
    if not lines[-1]:
        lines.pop()
    formatter = HtmlFormatter(nowrap=True)
    rows = []
    for n, tokens in enumerate(lines, 1):
        line = "".join(value for _, value in tokens)
        indent = len(line) - len(line.lstrip(" "))
        tokens = _drop_leading_spaces(tokens, indent)
        buf = io.StringIO()
        formatter.format(iter(tokens), buf)
        cls = "ml-line hll" if n in marked else "ml-line"
        rows.append(f"<span class='{cls}' style='{_LINE_STYLE}"
                    f"padding-left:{indent + _HANG}ch;text-indent:-{_HANG}ch'>"
                    f"{buf.getvalue().rstrip(chr(10))}\n</span>")
    body = f"<div class='ml-src'><pre>{''.join(rows)}</pre></div>"
    return "<div style='font:11px monospace;color:#555'>BaseEventLoop._run_once</div>" + body


# How far right of its line's indentation a wrapped line continues, in characters.
_HANG = 2
# Inline (not only in the style sheet), so a page that drops <style> still wraps the lines.
# word-break:normal undoes JupyterLab's `word-break: break-all` on output <pre>, which would
# otherwise split words ("lo|op") instead of wrapping at spaces.
_LINE_STYLE = "display:block;white-space:pre-wrap;word-break:normal;overflow-wrap:anywhere;"


def _drop_leading_spaces(tokens, count):
    """``tokens`` without the first ``count`` characters (the line's indentation, all
    spaces): the indentation becomes the line's padding, so wrapped rows can hang."""
    out = []
    for ttype, value in tokens:
        if count:
            cut = min(count, len(value))
            value, count = value[cut:], count - cut
        if value:
            out.append((ttype, value))
    return out


def _source_css():
    from pygments.formatters import HtmlFormatter
    css = HtmlFormatter(style="default").get_style_defs(".ml-src")
    # Long lines wrap with a hanging indent (see _highlight); nothing is cut off at the
    # panel's edge. Monospace stated explicitly: some pages (nbconvert's, nbviewer's) make
    # <pre> in outputs inherit the page's sans-serif font.
    mono = "font-family: var(--jp-code-font-family, ui-monospace, 'DejaVu Sans Mono', monospace);"
    return (css + "\n.ml-src pre { white-space: pre-wrap; margin: 0; padding: 2px 0; "
            + "line-height: 1.35; " + mono + " }"
            + "\n.ml-src .ml-line { display: block; white-space: pre-wrap; "
            + "word-break: normal; overflow-wrap: anywhere; }"
            + "\npre.ml-output { " + mono + " }")


def _layout(step, phase, head, left, right):
    """The frame every view of a step shares: header, then source (left) and panels."""
    return (f"<div class='minloop-stepper' data-step='{step}' data-phase='{phase}'>"
            f"<style>{_source_css()}</style>{head}"
            f"<div style='display:flex;gap:12px;flex-wrap:wrap'>"
            f"<div style='flex:1 1 48%;min-width:320px;overflow-x:auto;font-size:11px'>{left}</div>"
            f"<div style='flex:1 1 48%;min-width:320px;font:13px sans-serif'>{right}</div>"
            f"</div></div>")


def _player_js():
    return (Path(__file__).with_name("player.js")).read_text()


def _fmt_timeout(t):
    return "None (block until IO)" if t is None else f"{t:.3f}"


def _sel_label(row):
    if row["internal"]:
        return f"self-pipe ({row['events']})"
    return f"fd {row['fd']} ({row['events']})"


def _heap_svg(timers, max_levels=4):
    """The timer heap drawn as the binary tree it is: node i has children 2i+1 and 2i+2."""
    if not timers:
        return "<div style='margin:2px 0 6px'><i>empty</i></div>"
    shown = timers[:2 ** max_levels - 1]
    levels = int(math.log2(len(shown))) + 1
    width = max(420, 2 ** (levels - 1) * 92)   # the bottom row decides: 92 px a node
    height = levels * 46 + 6
    parts = [f"<div style='overflow-x:auto'><svg class='ml-heap' width='{width}' "
             f"height='{height}' style='font:10px monospace' "
             f"xmlns='http://www.w3.org/2000/svg'>"]

    def pos(i):
        level = int(math.log2(i + 1))
        k = i - (2 ** level - 1)
        return (k + 0.5) * width / 2 ** level, 20 + level * 46

    for i in range(1, len(shown)):
        (x1, y1), (x2, y2) = pos((i - 1) // 2), pos(i)
        parts.append(f"<line x1='{x1:.0f}' y1='{y1}' x2='{x2:.0f}' y2='{y2}' stroke='#999'/>")
    for i, t in enumerate(shown):
        x, y = pos(i)
        fill = "#eeeeee" if t["cancelled"] else ("#fff3e0" if i else "#ffe0b2")
        name = t["callback"] if len(t["callback"]) <= 14 else t["callback"][:13] + "…"
        parts.append(f"<rect x='{x - 43:.0f}' y='{y - 15}' width='86' height='30' rx='4' "
                     f"fill='{fill}' stroke='#ef6c00'/>"
                     f"<text x='{x:.0f}' y='{y - 3}' text-anchor='middle'>when={t['when']:.3f}</text>"
                     f"<text x='{x:.0f}' y='{y + 10}' text-anchor='middle'>"
                     f"{html.escape(name)}{' ✕' if t['cancelled'] else ''}</text>")
    parts.append("</svg></div>")
    more = len(timers) - len(shown)
    if more > 0:
        parts.append(f"<div>... and {more} more timers</div>")
    return "".join(parts)
