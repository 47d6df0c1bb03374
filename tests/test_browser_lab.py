"""The stepper, live in JupyterLab, in a real browser (Debian's chromium through Playwright).

For every notebook with a ``Stepper(`` cell: open it in a throwaway JupyterLab server, run all
cells, check that no cell failed and no widget failed to show, then drive each stepper widget
(Step, Back, Next iteration, Run to end, Reset, and the slider by keyboard) and check after
every action that the panels show what the loop recorded for that step. The expected record
is the one stored in the notebook on disk (the static player's JSON, ``trace``), so a live
widget that drifts from the stored output fails here. Click-to-update latency is measured and
printed (run with -s to see it). A screenshot of every stepper goes to a temporary directory;
with MINLOOP_SAVE_SCREENSHOT=1 one of them, mid-run, is written to images/stepper.png.

    .venv/bin/python -m pytest tests/test_browser_lab.py -q -s
"""

import os
import statistics
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import browser_util as bu  # noqa: E402

if not bu.CHROMIUM.exists():
    pytest.skip("browser tests skipped: /usr/bin/chromium not found (apt-get install chromium)",
                allow_module_level=True)

playwright_sync = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if "Stepper(" in p.read_text())
SCREENSHOT = ROOT / "images" / "stepper.png"
SCREENSHOT_FROM = ["03_the_loop", "05_tasks"]    # first of these with a good mid-run step
SAVE_SCREENSHOT = os.environ.get("MINLOOP_SAVE_SCREENSHOT") == "1"

# Every action the widget offers, in an order where each one moves the step (when it can):
# buttons by label, then the slider's handle by keyboard.
BUTTONS = {"back": "◀ Back", "step": "Step ▶", "next": "Next iteration ▶▶",
           "end": "Run to end ▶|", "reset": "Reset ⟲"}
SEQUENCE = ["reset", "step", "step", "back", "next", "next", "end", "back", "reset",
            "ArrowRight", "ArrowRight", "ArrowLeft", "End", "Home"]

pytestmark = pytest.mark.timeout(300)


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = bu.LabServer(ROOT, tmp_path_factory.mktemp("lab"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with playwright_sync.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(bu.CHROMIUM), headless=True, args=bu.CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
            device_scale_factor=2 if SAVE_SCREENSHOT else 1)   # a crisp image for the README
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    d = tmp_path_factory.mktemp("stepper-shots")
    yield d
    print(f"\nstepper screenshots: {d}")


# ---------------------------------------------------------------- checking one step

def check_panels(shown, player, i, where):
    """The live panels ``shown`` against the record's step ``i``, field by field."""
    want = bu.expected_panel(player, i)
    assert shown is not None, f"{where}: the widget shows no .minloop-stepper panel"
    problems = []
    for key in ("step", "phase", "ready", "when", "tasks", "clock", "running", "header"):
        if shown[key] != want[key]:
            problems.append(f"  {key}: shown {shown[key]!r}, recorded {want[key]!r}")
    if not any(f'trace("{want["phase"]}"' in line for line in shown["hll"]):
        problems.append(f"  highlighted source lines do not include trace(\"{want['phase']}\": "
                        f"{shown['hll']!r}")
    if shown["slider"] is not None and shown["slider"] != str(i):
        problems.append(f"  slider reads {shown['slider']!r}, expected {i}")
    assert not problems, (f"{where}: step {i} differs from the stored record:\n"
                          + "\n".join(problems))


def do(page, widget, action):
    if action in BUTTONS:
        widget.get_by_role("button", name=BUTTONS[action], exact=True).click()
    else:
        widget.locator(".noUi-handle").first.press(action)


def act_and_check(page, widget, player, current, action, where, latencies):
    """Do ``action``, wait until the widget shows the step it must lead to, check it."""
    handle = widget.element_handle()
    want = bu.next_index(player, current, action)
    page.evaluate(bu.JS_ARM, handle)
    do(page, widget, action)
    if want != current:
        try:
            # 30 s: a click's round trip through the kernel takes ~50 ms on a quiet machine,
            # but seconds on a loaded 2-core CI runner (a 10 s bound failed once there).
            page.wait_for_function(bu.JS_SETTLED, arg=[handle, want], timeout=30_000, polling="raf")
        except playwright_sync.TimeoutError:
            # JupyterLab may have replaced the widget's view since we took the handle (seen
            # once, on a cold first start): the click then went to the new view while we
            # watched a detached one. Look again at the live view before failing.
            fresh = widget.element_handle()
            shown = page.evaluate(bu.JS_READ, fresh)
            replaced = not page.evaluate("([a, b]) => a === b", [fresh, handle])
            if replaced and shown and shown["step"] == want:
                print(f"{where}: the widget's view was replaced during {action!r}; "
                      f"checking the live one")
                handle = fresh
            else:
                clicked = page.evaluate("() => window.__mlT0 != null")
                pytest.fail(f"{where}: after {action!r} from step {current} the widget should "
                            f"show step {want}; after 30 s it shows {shown and shown['step']} "
                            f"(the page {'saw' if clicked else 'never saw'} a click or key press)")
    else:
        time.sleep(0.3)   # nothing should change: give a wrong update the time to arrive
    shown = page.evaluate(bu.JS_READ, handle)
    if want != current and shown and shown["latency"] is not None:
        latencies.append(shown["latency"])
    check_panels(shown, player, want, f"{where}, after {action!r}")
    return want


def mid_run_step(player):
    """The most telling step to picture: ready handles, a timer in the heap, a task waiting,
    best while a handle runs. None when no step has all three."""
    best, score = None, 0
    for i, t in enumerate(player["trace"]):
        if not (t["ready"] and t["when"] and any(s == "waiting" for _, s in t["tasks"])):
            continue
        sc = 10 + (5 if t["handle"] else 0) + len(t["tasks"]) + min(len(t["ready"]), 3)
        if sc > score:
            best, score = i, sc
    return best


# ---------------------------------------------------------------- the test

@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_steppers_live_in_jupyterlab(nb, lab, browser, shots):
    rel = nb.relative_to(ROOT).as_posix()
    players = bu.stored_players(nb)
    expected_errors = bu.stored_error_cells(nb)
    t_start = time.monotonic()
    page = browser.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{lab.url}/lab/tree/{rel}?token={lab.token}")
        try:
            page.wait_for_function(bu.JS_READY, arg=rel, timeout=90_000, polling=250)
        except playwright_sync.TimeoutError:
            pytest.fail(f"{rel}: JupyterLab or the kernel was not ready after 90 s\n"
                        f"server log:\n{lab.tail_log()}")
        page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
        t_open = time.monotonic()
        page.evaluate(bu.JS_RUN_ALL, rel)
        try:
            page.wait_for_function(bu.JS_RUN_FINISHED, arg=rel, timeout=90_000, polling=250)
        except playwright_sync.TimeoutError:
            pytest.fail(f"{rel}: running all cells did not finish within 90 s")
        t_run = time.monotonic()
        result = page.evaluate("() => window.__mlRunDone")
        assert result.get("ok") is True, f"{rel}: notebook:run-all-cells reported {result}"

        # Widgets render after their output arrives: wait (bounded) until every stored
        # stepper has a rendered live panel, then survey the cells.
        n_stored = sum(len(v) for v in players.values())
        try:
            page.wait_for_function(
                """(n) => document.querySelectorAll(
                           '.minloop-stepper-widget .minloop-stepper').length >= n
                         && !document.body.textContent.includes('Loading widget')""",
                arg=n_stored, timeout=20_000, polling=250)
        except playwright_sync.TimeoutError:
            pass      # the survey below says precisely what is missing
        cells = page.evaluate(bu.JS_SURVEY, rel)

        errors = [f"cell {c['index']} ({c['id']}):\n{e}" for c in cells
                  if c["id"] not in expected_errors for e in c["errors"]]
        assert not errors, f"{rel}: cells failed or widgets did not show:\n" + "\n\n".join(errors)

        live = {c["id"]: c["steppers"] for c in cells if c["steppers"]}
        assert live, f"{rel}: has Stepper( cells but no live stepper widget appeared"
        mismatch = [f"cell {cid}: {live.get(cid, 0)} live stepper widget(s), "
                    f"{len(players.get(cid, []))} stored stepper output(s)"
                    for cid in sorted(set(live) | set(players))
                    if live.get(cid, 0) != len(players.get(cid, []))]
        assert not mismatch, (f"{rel}: the stored outputs do not match the live run (stale "
                              f"notebook? re-run `make execute`):\n" + "\n".join(mismatch))

        latencies, n_actions, shot_taken = [], 0, False
        for c in cells:
            for k in range(c["steppers"]):
                player = players[c["id"]][k]
                where = f"{rel} cell {c['index']} stepper {k}"
                widget = page.locator(f'.minloop-stepper-widget[data-ml-cell="{c["id"]}"]'
                                      f'[data-ml-k="{k}"]')
                widget.scroll_into_view_if_needed()
                handle = widget.element_handle()
                # As it stands after the whole notebook ran (later cells may have moved it
                # with stepper.goto(...)): whatever step it shows must match the record.
                shown = page.evaluate(bu.JS_READ, handle)
                assert shown is not None, f"{where}: the widget shows no panel"
                n = len(player["trace"])
                assert shown["steps"] == n, (
                    f"{where}: the live run recorded {shown['steps']} steps, the stored output "
                    f"{n}: the notebook's stored output is stale (re-run `make execute`)")
                cur = shown["step"]
                assert 0 <= cur < n, f"{where}: shows step {cur}, the record has {n} steps"
                check_panels(shown, player, cur, f"{where}, as shown")
                for action in SEQUENCE:
                    cur = act_and_check(page, widget, player, cur, action, where, latencies)
                    n_actions += 1
                # Walk the slider to the most telling step, checking every step on the way.
                target = mid_run_step(player)
                if target is None:
                    target = len(player["trace"]) // 2
                while cur < target:
                    cur = act_and_check(page, widget, player, cur, "ArrowRight", where, latencies)
                    n_actions += 1
                page.mouse.move(0, 0)      # no hover highlight on the buttons
                shot = shots / f"{nb.stem}-cell{c['index']}-{k}-step{cur}.png"
                widget.screenshot(path=str(shot))
                if (SAVE_SCREENSHOT and not shot_taken and nb.stem == _screenshot_notebook()
                        and mid_run_step(player) is not None):
                    SCREENSHOT.write_bytes(shot.read_bytes())
                    shot_taken = True
                    print(f"\nwrote {SCREENSHOT.relative_to(ROOT)} ({where}, step {cur})")

        t_end = time.monotonic()
        if latencies:
            print(f"\n{nb.stem}: {sum(live.values())} stepper(s), {n_actions} actions checked; "
                  f"click-to-update latency ms: min {min(latencies):.0f}, median "
                  f"{statistics.median(latencies):.0f}, max {max(latencies):.0f} "
                  f"(n={len(latencies)}); open {t_open - t_start:.1f}s, run all "
                  f"{t_run - t_open:.1f}s, drive {t_end - t_run:.1f}s")
    finally:
        try:
            page.evaluate(bu.JS_SHUTDOWN, rel)
        except Exception:
            pass
        page.close()
    # Autosave is off and the server refuses saves; nothing may even have tried to save.
    assert rel not in lab.save_attempts(), f"JupyterLab tried to save {rel} (refused)"


def _screenshot_notebook():
    """The notebook images/stepper.png is taken from: the first of SCREENSHOT_FROM that has a
    stored stepper with a mid-run step (ready handles, a timer, a waiting task)."""
    for stem in SCREENSHOT_FROM:
        path = ROOT / "notebooks" / f"{stem}.ipynb"
        if path in NOTEBOOKS and any(mid_run_step(p) is not None
                                     for ps in bu.stored_players(path).values() for p in ps):
            return stem
    return None
