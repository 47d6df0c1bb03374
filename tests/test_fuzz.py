"""Differential fuzzing: random asyncio programs print the same on minloop as on asyncio.

tests/fuzz/programs.py writes random programs (tasks, sleeps, cancel, gather, wait_for, wait,
shield, timeout, TaskGroup, Queue, Lock, Event, Semaphore, exceptions, cancelling/uncancel);
tests/fuzz/run.py runs each on asyncio (twice: a program whose two asyncio traces differ is
skipped) and on minloop, each on a fresh loop on a virtual clock, and compares the traces.

Here: a small derandomized batch (the same programs every run), without shrinking; on a
failure the message shows the program and the diff, and
``python -m tests.fuzz.run --examples N --seed S`` shrinks one. Below it, one test per
divergence found so far, with its minimal program.
"""

import os
import sys

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from tests.fuzz import run as fuzz_run  # noqa: E402
from tests.fuzz.programs import programs  # noqa: E402

EXAMPLES = 100


@pytest.fixture(scope='module')
def harness():
    h = fuzz_run.Harness()
    yield h
    h.close()


def test_random_programs_match_asyncio(harness):
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck),
              print_blob=False)
    @given(programs())
    def check(source):
        bad = harness.check(source)
        if bad is not None:
            clock, a, m = bad
            pytest.fail(f'minloop diverges from asyncio ({clock} clock) on:\n{source}\n'
                        f'{fuzz_run.diff_text(a, m)}', pytrace=False)

    check()
    # The batch is only worth something if asyncio's own traces were reproducible.
    assert harness.stats['virtual_compared'] >= EXAMPLES * 0.9, harness.stats


def test_harness_sees_a_difference():
    """The comparison is not vacuous: a program that prints which package its loop comes
    from gives two different traces."""
    source = ('async def main():\n'
              '    print(type(asyncio.get_running_loop()).__mro__[1].__module__.split(".")[0])\n')
    a, m = fuzz_run.compare(source)
    assert (a, m) == ('[0] asyncio\n', '[0] minloop\n')


# -- regressions: minimal programs from the fuzzer, one per divergence ---------------------------
# name -> (program text, reason). Each test is xfail(strict=True) until minloop is fixed: then
# it passes, strict xfail fails the run, and the mark is to be removed (move the program to a
# plain test, or to tests/conformance/programs/). None so far: the runs reported in the fuzz
# helper's report found no divergence.

REGRESSIONS = {}

if REGRESSIONS:
    @pytest.mark.parametrize('name', [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason))
        for name, (_, reason) in sorted(REGRESSIONS.items())])
    def test_regression(name):
        source = REGRESSIONS[name][0]
        a, m = fuzz_run.compare(source)
        assert a == m, fuzz_run.diff_text(a, m)
