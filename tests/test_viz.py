"""The stepper, the text trace and the timeline are views of one trace record: check that
each shows what the record says, and that the record shows what the loop did."""

import pytest

import minloop
from minloop.tracing import PHASES, trace_run
from minloop.viz.stepper import PHASE_TITLES, Stepper, phase_lines, _run_once_source
from minloop.viz.timeline import task_segments


async def worker(name, delay):
    print(name, "start")
    await minloop.sleep(delay)
    print(name, "done")


async def two_workers():
    await minloop.gather(worker("a", 0.5), worker("b", 1.0))


def test_trace_phases_come_in_cpython_order_every_iteration():
    _, tr = trace_run(two_workers())
    fixed = [p for p in PHASES if p != "run"]
    by_iter = {}
    for s in tr.steps:
        by_iter.setdefault(s["iteration"], []).append(s["phase"])
    for phases in by_iter.values():
        assert [p for p in phases if p != "run"] == fixed
        runs = phases[phases.index("timers") + 1:phases.index("end")]
        assert set(runs) <= {"run"}


def test_trace_records_what_the_loop_did():
    _, tr = trace_run(two_workers())
    ran = [s["handle"] for s in tr.steps if s["phase"] == "run"]
    main, a, b = [t["name"] for t in tr.steps[-1]["tasks"]]
    # main starts, the two workers start, each timer fires and wakes its worker, gather's
    # callbacks run, main wakes, run_until_complete's callback stops the loop.
    assert ran == [f"{main}.__step", f"{a}.__step", f"{b}.__step",
                   "_set_result_unless_cancelled", f"{a}.__wakeup",
                   "gather.<locals>._done_callback",
                   "_set_result_unless_cancelled", f"{b}.__wakeup",
                   "gather.<locals>._done_callback", f"{main}.__wakeup",
                   "_run_until_complete_cb"]
    assert tr.output.getvalue() == "a start\nb start\na done\nb done\n"
    times = sorted({s["time"] for s in tr.steps})
    assert times == [0.0, 0.5, 1.0]
    # At the timeout phase of the idle iteration, the timeout is the distance to the timer.
    timeouts = [s["timeout"] for s in tr.steps if s["phase"] == "timeout"]
    assert 0.5 in timeouts


def test_phase_lines_cover_each_phase_trace_call():
    src = _run_once_source()
    lines = phase_lines(src)
    for phase in PHASES:
        text = "\n".join(src[n - 1] for n in sorted(lines[phase]))
        assert f'trace("{phase}"' in text, phase


@pytest.fixture
def stepper():
    return Stepper(two_workers, title="two workers")


def test_text_view_matches_the_record_at_every_step(stepper):
    for i, s in enumerate(stepper.steps):
        text = stepper.render_text(i)
        assert PHASE_TITLES[s["phase"]] in text
        assert f"ready   : [{', '.join(s['ready'])}]" in text
        assert f"t={s['time']:.3f}" in text
        for t in s["tasks"]:
            assert f"{t['name']} ({t['coro']}) {t['state']}" in text


def test_html_view_matches_the_record_at_every_step(stepper):
    for i, s in enumerate(stepper.steps):
        page = stepper.render_html(i)
        assert f"data-phase='{s['phase']}'" in page
        assert page.count("class='ml-ready-item'") == len(s["ready"])
        assert page.count("class='ml-task'") == len(s["tasks"])
        assert f"clock t = {s['time']:.3f}" in page
        for t in s["scheduled"]:
            assert f"when={t['when']:.3f}" in page


def test_navigation(stepper):
    n = len(stepper.steps)
    assert stepper.index == 0
    stepper.back()
    assert stepper.index == 0
    stepper.step().step()
    assert stepper.index == 2
    stepper.back()
    assert stepper.index == 1
    it = stepper.current["iteration"]
    stepper.next_iteration()
    assert stepper.current["iteration"] == it + 1 and stepper.current["phase"] == "purge"
    stepper.run_to_end()
    assert stepper.index == n - 1
    stepper.step()
    assert stepper.index == n - 1
    stepper.reset()
    assert stepper.index == 0


def test_widget_buttons_and_slider_update_the_panels(stepper):
    w = stepper.widget()
    controls, panels = w.children
    buttons = {b.description.split()[0]: b for b in controls.children[:-1]}
    slider = controls.children[-1]
    buttons["Step"].click()
    assert slider.value == 1 and panels.value == stepper.render_html(1)
    buttons["Next"].click()
    assert stepper.current["phase"] == "purge"
    assert panels.value == stepper.render_html(stepper.index)
    slider.value = 7
    assert stepper.index == 7 and panels.value == stepper.render_html(7)
    buttons["Run"].click()
    assert slider.value == len(stepper.steps) - 1
    buttons["◀"].click()
    assert slider.value == len(stepper.steps) - 2
    buttons["Reset"].click()
    assert slider.value == 0 and panels.value == stepper.render_html(0)


def test_display_bundle_has_static_views_and_the_widget(stepper):
    bundle = stepper._repr_mimebundle_()
    assert bundle["text/plain"] == stepper.render_text()
    assert bundle["text/html"] == stepper.render_player_html()
    assert stepper.render_html() in bundle["text/html"]   # the current step, visible without JS
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_player_data_rebuilds_every_step_exactly():
    """What player.js does, in Python: fill the template with a step's parts. It must give
    render_html(i) byte for byte, so the static player and the live widget cannot differ."""
    import json
    import re

    stepper = Stepper(two_workers, name="main")
    page = stepper.render_player_html()
    raw = page.split("class='mlp-data'>", 1)[1].split("</script>", 1)[0]
    data = json.loads(raw)      # "<\/" in the JSON text decodes back to "</"
    for i, phase in enumerate(data["phases"]):
        head, r = data["parts"][i]
        values = {"STEP": str(i), "PHASE": phase, "HEAD": head,
                  "LEFT": data["sources"][phase], "RIGHT": data["rights"][r]}
        rebuilt = re.sub(r"@@(\w+)@@", lambda m: values[m.group(1)], data["template"])
        assert rebuilt == stepper.render_html(i)
    assert "</script" not in raw


def test_timeline_segments_for_ten_sleepers():
    async def sleeper():
        await minloop.sleep(1)

    async def main():
        await minloop.gather(*(sleeper() for _ in range(10)))

    _, tr = trace_run(main())
    segs = task_segments(tr.steps)
    assert len(segs) == 11
    sleepers = [rows for rows in segs.values()
                if any(w and w.startswith("Future#") for _, _, _, w in rows)]
    assert len(sleepers) == 10
    # each sleeper waits on a Future of its own, and the trace tells them apart
    assert len({w for rows in sleepers for _, _, _, w in rows if w}) == 10
    for rows in sleepers:
        waits = [(a, b) for a, b, state, _ in rows if state == "waiting"]
        assert waits == [(0.0, 1.0)]
        assert rows[-1][2] == "done"


def test_source_outline_expands_and_highlights_the_current_phase():
    from minloop.viz.stepper import outline_source
    src = _run_once_source()
    ranges = phase_lines(src)
    for phase in PHASES:
        text, marked = outline_source(src, ranges, phase)
        lines = text.splitlines()
        highlighted = "\n".join(lines[n - 1] for n in sorted(marked))
        assert f'trace("{phase}"' in highlighted, phase
        assert text.count("more lines)") == 5   # the five other phases are folded
