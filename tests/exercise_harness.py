"""Run a chapter's real exercise check against an answer of your choosing.

A check is only as good as the wrong answers it rejects. This harness feeds a check cell the
answers learners write, in the notebook's own kernel, and says what the check made of them:

    from exercise_harness import Chapter

    ch = Chapter("05_tasks")                  # notebooks/05_tasks.ipynb (stem or path)
    r = ch.try_answer(1, '''
        try:
            fut.result()
        except BaseException as exc:
            self.step(exc)                    # steps inside the except block
        else:
            self.step()
    ''')
    assert r.rejected and "except" in r.message
    assert ch.try_answer(1, ch.solution(1)).passed
    ch.close()                                # shut the kernel down

How it runs. ``Chapter`` starts one Jupyter kernel (python3, in ``notebooks/``) and executes the
notebook's code cells in order, exactly as the full edition runs them, up to the solution cell
of the exercise asked for. A trial then executes, as new cells in that kernel: the solution
cell with its ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` block replaced by your answer,
the cells between it and the check (the check's helpers), and the check cell itself. Asking for
an earlier exercise than the last one restarts the kernel. Trials of one exercise share the
kernel, so a check must set up what it tests (they all do: that is also what a learner who
runs a check twice relies on).

The answer:

* a string: replaces the solution block, re-indented to the block's indentation (so write it
  flush left or indented, as you like); for a cell with several blocks (03 Exercise 2) pass a
  list of strings, one per block, or ``None`` for a block to keep;
* ``whole_cell=True``: the string replaces the whole solution cell (for answers that change
  a signature, a decorator or a class line).

``try_answer`` returns a ``Result``:

* ``status``: ``"passed"`` (the check printed "all checks passed"), ``"rejected"`` (it raised
  CheckFailed), or ``"error"`` (any other exception: a raw traceback, which is itself a bug in a
  check, or a timeout);
* ``message``: the CheckFailed message (or ``"ExcName: value"`` for an error);
* ``passed`` / ``rejected`` booleans, ``output`` (what the cells printed), ``ename``.

Helpers: ``Chapter.exercises`` (the numbers, in notebook order), ``solution(n)`` (the
instructor's block(s), dedented: one string, or a list for several blocks), ``student(n)``
(the student edition's stub, which every check must reject).

For pytest, ``make_tests(stem, wrong)`` turns a table of wrong answers into a module-scoped
``chapter`` fixture and one parametrized test per case (see tests/test_exercise_mistakes_00.py):

    WRONG = {1: [("hard-coded answer", 'return "ready"', ["fixed value"]), ...], ...}
    chapter, test_check = make_tests("00_start_here", WRONG)

Each case is ``(label, answer, words)`` or ``(label, answer, words, True)`` for a whole-cell
answer; the check must reject it with a message containing every one of ``words``
(case-insensitive). Every exercise in the table also gets two cases: the solution passes, the
student stub is rejected.

The chapter 07 author may use this module read-only; its API is the above and stays small.
"""

import atexit
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_BLOCK = re.compile(r"^([ \t]*)### BEGIN SOLUTION[^\n]*\n(.*?)^[ \t]*### END SOLUTION[^\n]*(\n|$)",
                    re.S | re.M)
_EXERCISE = re.compile(r"""passed\(\s*["']Exercise (\d+)["']""")

__all__ = ("Chapter", "Result", "replace_blocks", "make_tests")


@dataclass
class Result:
    status: str            # "passed" | "rejected" | "error"
    message: str = ""
    ename: str = ""
    output: str = ""

    @property
    def passed(self):
        return self.status == "passed"

    @property
    def rejected(self):
        return self.status == "rejected"

    def __str__(self):
        return f"{self.status}: {self.message}" if self.message else self.status


def replace_blocks(source, answers):
    """``source`` with its solution blocks replaced by ``answers`` (a string or a list; ``None``
    keeps a block). Each answer is dedented, then indented like the block's marker line."""
    if isinstance(answers, str):
        answers = [answers]
    answers = list(answers)
    found = _BLOCK.findall(source)
    if len(found) != len(answers):
        raise ValueError(f"the cell has {len(found)} solution block(s), {len(answers)} answer(s) given")
    it = iter(answers)

    def sub(m):
        answer = next(it)
        if answer is None:
            return m.group(0)
        body = textwrap.dedent(answer).strip("\n")
        body = textwrap.indent(body, m.group(1), lambda line: True) if body else m.group(1) + "pass"
        return body + "\n"
    return _BLOCK.sub(sub, source)


class Chapter:
    """One notebook's exercises, checked in one kernel (see the module docstring)."""

    def __init__(self, notebook, timeout=60):
        path = Path(notebook)
        if not path.suffix:
            path = NOTEBOOKS / f"{notebook}.ipynb"
        self.path = path
        self.nb = nbformat.read(path, as_version=4)
        self.timeout = timeout
        self._cells = self.nb.cells
        self._where = {}                       # exercise number -> (solution index, check index)
        for i, cell in enumerate(self._cells):
            if cell.cell_type != "code" or "check" not in cell.metadata.get("tags", []):
                continue
            m = _EXERCISE.search(cell.source)
            if not m:
                continue
            sol = next(j for j in range(i - 1, -1, -1)
                       if self._cells[j].cell_type == "code" and BEGIN in self._cells[j].source)
            self._where[int(m.group(1))] = (sol, i)
        self.exercises = sorted(self._where, key=lambda n: self._where[n])
        self._client = None
        self._pos = 0
        atexit.register(self.close)

    # ------------------------------------------------------------ what the notebook holds

    def solution(self, n):
        sol, _ = self._where[n]
        blocks = [textwrap.dedent(b) for _, b, _ in _BLOCK.findall(self._cells[sol].source)]
        return blocks[0] if len(blocks) == 1 else blocks

    def student(self, n):
        sol, _ = self._where[n]
        k = len(_BLOCK.findall(self._cells[sol].source))
        stub = "# YOUR CODE HERE\nraise NotImplementedError()\n"
        return stub if k == 1 else [stub] * k

    def solution_cell(self, n):
        return self._cells[self._where[n][0]].source

    # ------------------------------------------------------------ the kernel

    def _start(self):
        import nbclient
        self.close()
        nb = nbformat.v4.new_notebook()
        nb.metadata = self.nb.metadata
        self._nb = nb
        self._client = nbclient.NotebookClient(
            nb, timeout=self.timeout, kernel_name="python3", allow_errors=True,
            interrupt_on_timeout=True, resources={"metadata": {"path": str(self.path.parent)}})
        self._client.km = self._client.create_kernel_manager()
        self._client.start_new_kernel()
        self._client.start_new_kernel_client()
        self._pos = 0

    def close(self):
        client, self._client = self._client, None
        if client is not None:
            try:
                client._cleanup_kernel()
            except Exception:
                pass

    def _run(self, source):
        """Execute ``source`` as a new cell; return (status, message, ename, output)."""
        cell = nbformat.v4.new_code_cell(source)
        self._nb.cells.append(cell)
        idx = len(self._nb.cells) - 1
        try:
            self._client.execute_cell(cell, idx)
        except Exception as exc:             # a timeout: the kernel was interrupted
            return Result("error", f"{type(exc).__name__}: {exc}".strip(), type(exc).__name__)
        finally:
            self._nb.cells.pop()
        out = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors:
            e = errors[0]
            status = "rejected" if e.ename == "CheckFailed" else "error"
            msg = e.evalue if status == "rejected" else f"{e.ename}: {e.evalue}"
            return Result(status, msg, e.ename, out)
        return Result("passed", "", "", out)

    def _advance_to(self, index):
        if self._client is None or self._pos > index:
            self._start()
        while self._pos < index:
            cell = self._cells[self._pos]
            self._pos += 1
            if cell.cell_type != "code":
                continue
            r = self._run(cell.source)
            if r.status == "error":
                raise RuntimeError(f"{self.path.name}: setup cell {self._pos - 1} failed: "
                                   f"{r.message}\n{cell.source[:300]}")

    # ------------------------------------------------------------ trying an answer

    def try_answer(self, n, answer, whole_cell=False):
        """Run exercise ``n``'s check against ``answer``; return a Result."""
        if n not in self._where:
            raise KeyError(f"{self.path.name} has no exercise {n} (it has {self.exercises})")
        sol, chk = self._where[n]
        self._advance_to(sol)
        src = answer if whole_cell else replace_blocks(self._cells[sol].source, answer)
        cells = [textwrap.dedent(src) if whole_cell else src]
        cells += [c.source for c in self._cells[sol + 1:chk] if c.cell_type == "code"]
        output = ""
        for i, source in enumerate(cells):
            r = self._run(source)
            output += r.output
            if r.status != "passed":
                if i == 0 and r.status == "error":
                    r.message = "the answer cell itself raised " + r.message
                r.output = output
                return r
        r = self._run(self._cells[chk].source)
        r.output = output + r.output
        if r.status == "passed" and f"Exercise {n}: all checks passed" not in r.output:
            return Result("error", "the check cell ended without printing 'all checks passed'",
                          "", r.output)
        return r


# ---------------------------------------------------------------- pytest tables


def cases(wrong):
    """[(exercise, label, answer, words, whole_cell)] in exercise order, solution and stub
    first for each exercise."""
    out = []
    for n in sorted(wrong):
        out.append((n, "solution", None, None, False))
        out.append((n, "student stub", "stub", ["not written yet"], False))
        for item in wrong[n]:
            label, answer, words = item[:3]
            whole = item[3] if len(item) > 3 else False
            out.append((n, label, answer, words, whole))
    return out


def make_tests(stem, wrong):
    """Return (fixture, test function) for a chapter; assign both in the test module."""

    @pytest.fixture(scope="module")
    def chapter():
        ch = Chapter(stem)
        try:
            yield ch
        finally:
            ch.close()

    params = cases(wrong)

    @pytest.mark.timeout(180)
    @pytest.mark.parametrize("n,label,answer,words,whole", params,
                             ids=[f"ex{n}-{label}" for n, label, *_ in params])
    def test_check(chapter, n, label, answer, words, whole):
        if label == "solution":
            r = chapter.try_answer(n, chapter.solution(n))
            assert r.passed, f"the instructor's solution of Exercise {n} does not pass: {r}\n{r.output}"
            return
        if answer == "stub":
            answer = chapter.student(n)
        r = chapter.try_answer(n, answer, whole_cell=whole)
        assert r.rejected, (f"Exercise {n}, wrong answer {label!r}: the check should reject it "
                            f"with CheckFailed, but it {r.status}: {r.message}\n{r.output}")
        msg = r.message.lower()
        missing = [w for w in words if w.lower() not in msg]
        assert not missing, (f"Exercise {n}, wrong answer {label!r}: the message does not name "
                             f"the mistake (missing {missing}):\n{r.message}")

    return chapter, test_check


def make_accepted_test(accepted):
    """A test that every right answer in ``accepted`` (``{n: [(label, answer), ...]}``: answers
    that differ from the solution but are correct) passes Exercise n's check. Assign it in the
    test module beside make_tests' two: ``test_accepted = make_accepted_test(ACCEPTED)``."""
    params = [(n, label, answer) for n in accepted for label, answer in accepted[n]]

    @pytest.mark.timeout(180)
    @pytest.mark.parametrize("n,label,answer", params,
                             ids=[f"ex{n}-{label}" for n, label, _ in params])
    def test_accepted(chapter, n, label, answer):
        r = chapter.try_answer(n, answer)
        assert r.passed, f"Exercise {n}, acceptable answer {label!r} was not accepted: {r}\n{r.output}"

    return test_accepted
