"""What every chapter builder (tools/build_NN.py) shares: cells in order, stable ids, the write.

    from nbbuild import Notebook
    nb = Notebook("09_subprocesses_threads", "ch09")
    md, code, check = nb.md, nb.code, nb.check
    md('''# 09 · ...''')
    code('''print(1)''')
    check('''...''')                     # a code cell tagged "check" (an exercise's check)
    if __name__ == "__main__":
        nb.write()

Cell ids are PREFIX-000, PREFIX-001, ... in order; a cell added after the first edition names
its own id (ch09-040b follows ch09-040), so that no other id moves. The notebook is written
with empty outputs: execute it afterwards (AUTHORING.md says how).
"""

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent

METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                   "name": "python3"},
    "language_info": {"codemirror_mode": {"name": "ipython", "version": 3},
                      "file_extension": ".py", "mimetype": "text/x-python",
                      "name": "python", "nbconvert_exporter": "python",
                      "pygments_lexer": "ipython3", "version": "3.11.7"},
}


class Notebook:
    def __init__(self, stem, prefix):
        self.out = ROOT / "notebooks" / f"{stem}.ipynb"
        self.prefix = prefix
        self.cells = []

    def md(self, text, id=None):
        self.cells.append(("markdown", text.strip("\n"), [], id))

    def code(self, text, tags=(), id=None):
        self.cells.append(("code", text.strip("\n"), list(tags), id))

    def check(self, text, id=None):
        self.code(text, tags=["check"], id=id)

    def write(self):
        nb = nbformat.v4.new_notebook()
        nb.metadata = METADATA
        number = 0
        for kind, text, tags, cell_id in self.cells:
            cell = (nbformat.v4.new_markdown_cell(text) if kind == "markdown"
                    else nbformat.v4.new_code_cell(text))
            if cell_id is None:
                cell_id = f"{self.prefix}-{number:03d}"
                number += 1
            cell["id"] = cell_id
            if tags:
                cell.metadata["tags"] = tags
            nb.cells.append(cell)
        nbformat.validate(nb)
        nbformat.write(nb, self.out)
        print(f"wrote {self.out.relative_to(ROOT)}: {len(nb.cells)} cells")
