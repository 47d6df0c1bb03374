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


def test_check_cells_carry_raises_exception_only_in_the_student_edition():
    """JupyterLab's Run All goes on past a cell tagged raises-exception: the student edition's
    check cells have the tag (they fail until solved), the full edition's must not (there a
    failing check must stop the run, and nbval must see it)."""
    for path in NOTEBOOKS:
        full = nbformat.read(path, as_version=4)
        assert all(make_student.RAISES not in c.metadata.get("tags", []) for c in full.cells), \
            f"{path.name}: the full edition has a cell tagged {make_student.RAISES}"
        student, _ = make_student.student_notebook(nbformat.read(path, as_version=4))
        for cell in check_cells(student):
            assert make_student.RAISES in cell.metadata["tags"], f"{path.name}: {cell.source[:80]}"
        tagged = [c for c in student.cells if make_student.RAISES in c.metadata.get("tags", [])]
        assert len(tagged) == len(check_cells(student)), "only check cells get the tag"


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The student edition as `make student` writes it, in a directory of its own: the
    notebooks run there, beside only what make_student copied (a module a chapter imports
    must be in the edition, not just in notebooks/)."""
    out = tmp_path_factory.mktemp("student")
    make_student.main(["--out", str(out)])
    return out


@pytest.mark.timeout(180)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_edition_checks_fail_until_solved(path, edition):
    _, removed = make_student.student_notebook(nbformat.read(path, as_version=4))
    assert removed >= 3
    student = edition / "notebooks" / path.name
    nb = nbformat.read(student, as_version=4)
    assert make_student.BEGIN not in "".join(c.source for c in nb.cells)
    # allow_errors=False: like JupyterLab's Run All, nbclient stops at the first error, except
    # in cells tagged raises-exception. So this run reaching the end proves that Run All does.
    client = nbclient.NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=False,
                                     resources={"metadata": {"path": str(student.parent)}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{path.name}: the student edition stopped before its last cell (a cell "
                    f"without the raises-exception tag failed):\n{str(exc)[:2000]}")
    last = [c for c in nb.cells if c.cell_type == "code"][-1]
    assert last.execution_count is not None, f"{path.name}: the last code cell did not run"
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
