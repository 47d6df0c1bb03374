"""Second review of the core (issue 12): what conformance programs cannot show.

The conformance runner starts every program with PYTHONASYNCIODEBUG and -X dev removed, so
debug mode switched on from *outside* the program is tested here, each case run in a fresh
interpreter on asyncio and on minloop, outputs compared.
"""

import os
import re
import subprocess
import sys
import textwrap

import pytest

import minloop

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_both(source, *flags, env=None):
    """Run ``source`` (``asyncio`` bound to each backend) in fresh interpreters; return
    {backend: (stdout, stderr)} with the loop's own paths and line numbers normalized."""
    out = {}
    for backend in ("asyncio", "minloop"):
        prog = f"import {backend} as asyncio\n" + textwrap.dedent(source)
        full_env = {k: v for k, v in os.environ.items()
                    if k not in ("PYTHONASYNCIODEBUG", "PYTHONDEVMODE", "PYTHONWARNINGS")}
        full_env.update(env or {})
        full_env["PYTHONPATH"] = REPO
        proc = subprocess.run([sys.executable, *flags, "-c", prog], capture_output=True,
                              text=True, env=full_env, cwd=REPO, timeout=60)
        norm = []
        for text in (proc.stdout, proc.stderr):
            text = re.sub(r"\S*/(asyncio|minloop)/(\w+\.py)[:\", line]*\d+", r"<loop>/\2", text)
            text = re.sub(r"<\w*SelectorEventLoop ", "<LOOP ", text)
            text = re.sub(r" at 0x[0-9a-f]+", " at 0x...", text)
            norm.append(text)
        out[backend] = tuple(norm)
    return out


DEBUG_FLAG = """
    loop = asyncio.new_event_loop()
    print("debug:", loop.get_debug())
    loop.close()
"""


@pytest.mark.parametrize("flags, env, expected", [
    ((), {}, "debug: False"),
    ((), {"PYTHONASYNCIODEBUG": "1"}, "debug: True"),
    (("-X", "dev"), {}, "debug: True"),
    (("-E",), {"PYTHONASYNCIODEBUG": "1"}, "debug: False"),   # -E ignores the environment
])
def test_debug_mode_from_environment_and_dev_mode(flags, env, expected):
    out = run_both(DEBUG_FLAG, *flags, env=env)
    assert out["asyncio"] == out["minloop"]
    assert out["minloop"][0].strip() == expected


def test_never_awaited_coroutine_says_where_it_was_made_in_debug_mode():
    """A debug-mode loop turns on coroutine origin tracking while it runs, so Python's own
    "coroutine ... was never awaited" warning adds "Coroutine created at"."""
    source = """
        import gc

        async def forgotten():
            pass

        async def main():
            forgotten()          # never awaited
            gc.collect()

        asyncio.run(main(), debug=True)
        import sys
        print("tracking depth after run():", sys.get_coroutine_origin_tracking_depth())
    """
    out = run_both(source)
    # The frames of the loop itself differ (and the loop's source lines under them); the
    # program's own frames and the rest must be the same.
    def program_part(stderr):
        lines = stderr.splitlines()
        keep = []
        for i, line in enumerate(lines):
            if "<loop>/" in line or (i and "<loop>/" in lines[i - 1] and line.startswith("    ")):
                continue
            keep.append(line)
        return keep

    assert out["asyncio"][0] == out["minloop"][0]
    assert program_part(out["asyncio"][1]) == program_part(out["minloop"][1]), out
    stdout, stderr = out["minloop"]
    assert "RuntimeWarning: coroutine 'forgotten' was never awaited" in stderr
    assert "Coroutine created at (most recent call last)" in stderr
    assert 'File "<string>", line 9, in main' in stderr   # the line of forgotten()
    assert stdout == "tracking depth after run(): 0\n"


def test_set_debug_while_running_switches_origin_tracking():
    source = """
        import sys

        async def main():
            loop = asyncio.get_running_loop()
            before = sys.get_coroutine_origin_tracking_depth()
            loop.set_debug(True)
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            on = sys.get_coroutine_origin_tracking_depth()
            loop.set_debug(False)
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            print(before, on, sys.get_coroutine_origin_tracking_depth())

        asyncio.run(main())
    """
    out = run_both(source)
    assert out["asyncio"] == out["minloop"]
    assert out["minloop"][0] == "0 10 0\n"


def test_debug_mode_thread_check_and_slow_callback_log_under_dev_mode():
    source = """
        import threading, time

        async def main():
            loop = asyncio.get_running_loop()
            errors = []

            def other_thread():
                try:
                    loop.call_soon(print)
                except RuntimeError as exc:
                    errors.append(str(exc))

            t = threading.Thread(target=other_thread)
            t.start()
            t.join()
            print(errors)
            loop.slow_callback_duration = 0.25   # far above a quick callback under load
            time.sleep(0.26)

        asyncio.run(main())
    """
    out = run_both(source, "-X", "dev")
    a_out, a_err = out["asyncio"]
    m_out, m_err = out["minloop"]
    assert a_out == m_out == ("['Non-thread-safe operation invoked on an event loop other "
                              "than the current one']\n")
    norm = [re.sub(r"took \d\.\d+ seconds", "took N seconds", e) for e in (a_err, m_err)]
    assert norm[0] == norm[1]
    assert "Executing <Task finished name='Task-1' coro=<main() done" in m_err


# ---------------------------------------------------------------- not a conformance program

def test_run_accepts_a_clock_and_runner_does_too():
    async def main():
        await minloop.sleep(3600)
        return minloop.get_running_loop().time()

    assert minloop.run(main(), clock=minloop.VirtualClock()) == 3600
    with minloop.Runner(clock=minloop.VirtualClock(10)) as runner:
        assert runner.run(main()) == 3610


def test_handle_has_no_get_context_like_asyncio_3_11():
    import asyncio
    assert not hasattr(minloop.Handle, "get_context")     # 3.12 added it; minloop mirrors 3.11
    if sys.version_info[:2] == (3, 11):
        assert not hasattr(asyncio.Handle, "get_context")


def test_task_factory_without_set_name_warns_like_asyncio():
    import asyncio
    import warnings

    def prog(mod):
        loop = mod.new_event_loop()
        loop.set_task_factory(lambda lp, coro: (coro.close(), lp.create_future())[1])

        async def main():
            pass

        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                made = loop.create_task(main(), name="x")
            return type(made).__name__, [(w.category.__name__, str(w.message)) for w in caught]
        finally:
            loop.close()

    if sys.version_info < (3, 13):      # gh-105684: 3.13 raises AttributeError; minloop mirrors 3.11
        assert prog(asyncio) == prog(minloop)
    assert prog(minloop)[1][0][0] == "DeprecationWarning"


# ---------------------------------------------------------------- the phase comments are an interface

def test_one_parser_of_the_phase_comments_serves_stepper_and_images():
    import importlib.util

    from minloop import tracing
    from minloop.viz import stepper

    marks = tracing.phase_marks()
    assert [k for _, k, _ in marks] == [1, 2, 3, 4, 5, 6]
    source = tracing.run_once_source().splitlines()
    lines = stepper.phase_lines(source)
    for (i, k, _), name in zip(marks, tracing.PHASES):
        assert min(lines[name]) == i + 1            # the stepper's phase starts at its mark
    spec = importlib.util.spec_from_file_location("make_images",
                                                  os.path.join(REPO, "images", "make_images.py"))
    make_images = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_images)
    sections = make_images.phase_sections()
    assert [sections[k][1][0] for k in sections] == [source[i] for i, _, _ in marks]
    broken = [line for line in source if "# (4)" not in line]
    for parse in (tracing.phase_marks, stepper.phase_lines):
        with pytest.raises(ValueError, match=r"missing \(4\)"):
            parse(broken)
    assert "interface" in minloop.BaseEventLoop._run_once.__doc__
