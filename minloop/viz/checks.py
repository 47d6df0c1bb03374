"""Self-checking exercises and failures shown on purpose.

Each exercise ends in a check cell calling these helpers. A failed check raises CheckFailed
with a sentence saying what is wrong and, where we can tell, what to look at; it never just
says "assert False". ``learner_code`` wraps a call into the learner's code, so that whatever
it raises becomes such a sentence (which call, which exception, which line of their cell,
a hint) instead of a raw traceback. In a notebook a CheckFailed shows as its message alone.
``expect_error`` is for prose cells that break something on purpose.

tests/exercise_harness.py runs each check against the wrong answers learners write.
"""

import contextlib
import re
import traceback

__all__ = ("CheckFailed", "check", "check_equal", "check_raises", "call_exercise",
           "expect_error", "learner_code", "passed")


class CheckFailed(AssertionError):
    """An exercise check did not pass. The message says why."""

    def _render_traceback_(self):
        # How IPython shows it: the message alone. A traceback would point into the check's
        # own code and minloop's, never at the learner's mistake, and bury the message.
        return [f"\x1b[0;31mCheckFailed\x1b[0m: {self}"]

    # A CheckFailed raised `from None` inside an except block still records the exception it
    # replaced as __context__ (only __suppress_context__ says "don't show it"). IPython gives
    # up on _render_traceback_ and prints a raw traceback whenever that chain holds an
    # ExceptionGroup (a learner's TaskGroup that failed), so a suppressed context reads as
    # None here, as a printed traceback treats it anyway.
    @property
    def __context__(self):
        if self.__suppress_context__:
            return None
        return BaseException.__context__.__get__(self)

    @__context__.setter
    def __context__(self, value):
        BaseException.__context__.__set__(self, value)


def check(condition, message):
    """Fail with ``message`` unless ``condition`` is true."""
    if not condition:
        raise CheckFailed(message)


def check_equal(got, expected, what, hint=""):
    """Fail unless ``got == expected``; the message names ``what`` was compared."""
    if got != expected:
        msg = f"{what}: expected {expected!r}, got {got!r}."
        if hint:
            msg += f" Hint: {hint}"
        raise CheckFailed(msg)


def call_exercise(fn, *args, **kwargs):
    """Call the learner's function; turn the stub's NotImplementedError into a clear message."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        name = getattr(fn, "__name__", repr(fn))
        raise CheckFailed(f"`{name}` is not written yet: replace the "
                          f"`raise NotImplementedError()` in the exercise cell.") from None


def check_raises(fn, exc_type, match=None, what=""):
    """Fail unless ``fn()`` raises ``exc_type`` (whose message contains ``match``)."""
    label = what or getattr(fn, "__name__", "the call")
    try:
        call_exercise(fn)
    except CheckFailed:
        raise
    except exc_type as exc:
        if match is not None and match not in str(exc):
            raise CheckFailed(f"{label} raised {exc_type.__name__} as it should, but its "
                              f"message {str(exc)!r} does not mention {match!r}.") from None
        return exc
    except BaseException as exc:  # noqa: BLE001 - reported to the learner
        raise CheckFailed(f"{label} should raise {exc_type.__name__}, but raised "
                          f"{type(exc).__name__}: {exc}") from None
    raise CheckFailed(f"{label} should raise {exc_type.__name__}, but raised nothing.")


def _learner_line(tb):
    """'line N of your cell' for the innermost frame of ``tb`` that is notebook code (a cell
    runs as <ipython-input-...> or a temporary file named after the cell), else ''."""
    found = ""
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith("<ipython-input") or "/ipykernel_" in name or name.startswith("<cell"):
            found = f" (in `{tb.tb_frame.f_code.co_name}`, line {tb.tb_lineno} of its cell)"
        tb = tb.tb_next
    return found


@contextlib.contextmanager
def learner_code(what, hints=None):
    """Run the learner's code; turn an exception it raises into a CheckFailed that says which
    call raised what (and where in the learner's cell), with a hint per exception type.

    ``what`` names the call ("first_done(f1, f2)"); ``hints`` maps an exception type (or a
    tuple of types) to a sentence. The stub's NotImplementedError gets the usual message;
    CheckFailed passes through unchanged."""
    try:
        yield
    except CheckFailed:
        raise
    except NotImplementedError:
        name = re.match(r"[\w.]*", what).group(0) or what
        raise CheckFailed(f"`{name}` is not written yet: replace the "
                          f"`raise NotImplementedError()` in the exercise cell.") from None
    except BaseException as exc:  # noqa: BLE001 - reported to the learner
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise   # GeneratorExit: a coroutine left suspended is being closed, not failing
        hint = ""
        for types, text in (hints or {}).items():
            if isinstance(exc, types):
                hint = " Hint: " + text
                break
        raise CheckFailed(f"{what} raised {type(exc).__name__}: {exc}"
                          f"{_learner_line(exc.__traceback__)}.{hint}") from None


def passed(name):
    """Print the line a learner looks for when every check of an exercise passed."""
    print(f"✔ {name}: all checks passed")


@contextlib.contextmanager
def expect_error(*types):
    """Run a block that is *meant* to fail; print the error instead of stopping the notebook.

    The block must raise (one of ``types``, if given): a block that does not is reported,
    because then the lesson's point did not happen."""
    types = types or (BaseException,)
    try:
        yield
    except types as exc:
        line = traceback.format_exception_only(type(exc), exc)[-1].strip()
        print(f"Expected error: {line}")
    else:
        raise CheckFailed("This cell was expected to raise an error, but it did not.")
