"""`make student` removes the solutions; then every exercise check must fail (and say why),
while in the full edition every check passes. Runs each chapter's student edition in a real
kernel."""

import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import make_student  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def check_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and "check" in c.metadata.get("tags", [])]


def test_stub_replaces_the_solution_and_keeps_indentation():
    src = ("def f(x):\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION\n\n"
           "print('kept')\n")
    assert make_student.strip_code(src) == (
        "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n\nprint('kept')\n")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chapter_has_three_checked_exercises(path):
    nb = nbformat.read(path, as_version=4)
    checks = check_cells(nb)
    assert len(checks) >= 3, f"{path.name}: {len(checks)} check cells"
    for cell in checks:
        outputs = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert "all checks passed" in outputs, f"{path.name}: a check cell did not pass:\n{cell.source}"
    solutions = sum(c.source.count(make_student.BEGIN) for c in nb.cells)
    assert solutions >= len(checks) > 0


@pytest.mark.timeout(180)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_edition_checks_fail_until_solved(path, tmp_path):
    nb, removed = make_student.student_notebook(nbformat.read(path, as_version=4))
    assert removed >= 3
    assert make_student.BEGIN not in "".join(c.source for c in nb.cells)
    client = nbclient.NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in check_cells(nb):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert errors, f"{path.name}: this check passed in the student edition:\n{cell.source}"
        assert errors[0].ename == "CheckFailed", (
            f"{path.name}: a check failed with {errors[0].ename}, not a CheckFailed that "
            f"explains the problem: {errors[0].evalue}")
        assert len(errors[0].evalue) > 20, "the failure message should say what is wrong"
    # Nothing else may break: only stubbed solution cells raise NotImplementedError.
    for cell in nb.cells:
        if cell.cell_type != "code" or "check" in cell.metadata.get("tags", []):
            continue
        for out in cell.outputs:
            if out.output_type == "error":
                assert out.ename == "NotImplementedError" and "NotImplementedError()" in cell.source, \
                    f"{path.name}: unexpected {out.ename}: {out.evalue} in\n{cell.source}"
