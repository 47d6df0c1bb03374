"""Write the student edition of the course: solutions replaced by stubs.

    python tools/make_student.py [--out student]

Every code cell's text between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (the marker
lines included) becomes ``# YOUR CODE HERE`` + ``raise NotImplementedError()`` at the same
indentation, as nbgrader does; in markdown cells it becomes "*Write your answer here.*".
Outputs of those cells, and of cells tagged ``check``, are cleared (they would show the
answer); other outputs stay, so the reading text still shows what the loop printed.
Check cells also get the ``raises-exception`` tag: until an exercise is solved its check
raises CheckFailed, and with that tag JupyterLab's *Run All* shows the message and goes on
to the next cell instead of stopping there (nbclient and nbval honour the tag too). The full
edition's check cells keep only ``check``: there they must pass.
The edition goes to ``student/`` (ignored by git) with a copy of ``images/`` and of the
modules beside the notebooks (``notebooks/*.py``).
"""

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
RAISES = "raises-exception"        # JupyterLab's Run All reports the error and goes on
_BLOCK = re.compile(r"^([ \t]*)### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*(\n|$)",
                    re.S | re.M)


def strip_code(source):
    return _BLOCK.sub(lambda m: f"{m.group(1)}# YOUR CODE HERE\n"
                                f"{m.group(1)}raise NotImplementedError()\n", source)


def strip_markdown(source):
    return _BLOCK.sub("*Write your answer here.*\n", source)


def student_notebook(nb):
    """Return (notebook, number of solutions removed)."""
    removed = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and "check" in cell.metadata.get("tags", []):
            tags = cell.metadata.setdefault("tags", [])
            if RAISES not in tags:
                tags.append(RAISES)
        if BEGIN not in cell.source:
            if cell.cell_type == "code" and "check" in cell.metadata.get("tags", []):
                cell.outputs, cell.execution_count = [], None
            continue
        if END not in cell.source:
            raise ValueError(f"unterminated solution block in cell:\n{cell.source[:200]}")
        removed += cell.source.count(BEGIN)
        if cell.cell_type == "code":
            cell.source = strip_code(cell.source)
            cell.outputs, cell.execution_count = [], None
        else:
            cell.source = strip_markdown(cell.source)
    return nb, removed


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "student"))
    ap.add_argument("--notebooks", default=str(ROOT / "notebooks"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    if (ROOT / "images").is_dir():
        shutil.copytree(ROOT / "images", out / "images", dirs_exist_ok=True)
    # Modules the notebooks import from their own directory (chapter 09's process-pool
    # workers must be importable by the worker processes): copied as they are.
    for module in sorted(Path(args.notebooks).glob("*.py")):
        shutil.copy2(module, out / "notebooks" / module.name)
    total = 0
    for path in sorted(Path(args.notebooks).glob("*.ipynb")):
        nb, removed = student_notebook(nbformat.read(path, as_version=4))
        nbformat.write(nb, out / "notebooks" / path.name)
        total += removed
        print(f"{path.name}: {removed} solution(s) removed")
    print(f"student edition written to {out} ({total} solutions removed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
