"""minloop.run() works inside a real Jupyter kernel, whose asyncio loop is already running in
the same thread, and leaves that loop as it found it. Executed with nbclient in a fresh kernel
of the interpreter running the tests (the project's .venv under `make test`)."""

import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

import minloop

NOTEBOOK = Path(__file__).parent / "notebooks" / "kernel_check.ipynb"


@pytest.mark.timeout(120)
def test_minloop_runs_inside_a_jupyter_kernel():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=30, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    text = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"cell failed: {out.get('ename')}: {out.get('evalue')}"
            if out.output_type == "stream":
                text.append(out.text)
    text = "".join(text)
    # The kernel is this interpreter (the project's .venv under make test), so the minloop
    # under test is the one installed here.
    assert f"kernel python: {sys.executable}" in text
    assert "kernel loop running: True" in text
    assert "asyncio.run refused: asyncio.run() cannot be called from a running event loop" in text
    # stdlib code in the cell sees minloop's loop: the class new_event_loop() makes.
    loop = minloop.new_event_loop()
    loop_module = type(loop).__module__
    loop.close()
    assert loop_module.startswith("minloop.")
    assert f"minloop.run returned: (True, {loop_module!r})" in text
    assert "kernel loop restored: True" in text
    assert "top-level await still works" in text
    assert "virtual hour: done True" in text
    assert "kernel loop restored again: True" in text
    assert ("minloop.run inside minloop: asyncio.run() cannot be called from a running "
            "event loop") in text
