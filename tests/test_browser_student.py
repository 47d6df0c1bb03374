"""The student edition as a learner uses it: JupyterLab's *Run All*, in a real browser
(Debian's chromium through Playwright).

``make student`` writes every notebook with its solutions replaced by stubs, so every
exercise check fails until it is solved. Chapter 00 tells learners to run all cells; this test
proves that *Run All* then reaches the last cell of every student notebook, and that each
unsolved check shows its message (a CheckFailed that says what to write) instead of stopping
the run. That works because tools/make_student.py tags the student edition's check cells
``raises-exception``, which JupyterLab honours (the kernel is asked not to stop on that error).

The edition is written to a temporary directory, served by a throwaway JupyterLab
(tests/browser_util.py) that cannot save anything. A screenshot of the first failed check of
each notebook goes to a temporary directory (run with -s to see where).

    .venv/bin/python -m pytest tests/test_browser_student.py -q -s
"""

import sys
import time
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import browser_util as bu  # noqa: E402

if not bu.CHROMIUM.exists():
    pytest.skip("browser tests skipped: /usr/bin/chromium not found (apt-get install chromium)",
                allow_module_level=True)

playwright_sync = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import make_student  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

pytestmark = pytest.mark.timeout(300)

# Per cell, from JupyterLab's own models: type, tags, execution count, error outputs, and the
# text the output area shows (when the cell is rendered).
JS_CELLS = """(path) => {
  const panel = (%s)(path);
  return panel.content.widgets.map((cell, idx) => {
    const m = cell.model;
    const code = m.type === 'code';
    const outs = code ? m.outputs.toJSON() : [];
    return {
      idx, type: m.type, tags: m.getMetadata('tags') || [],
      count: code ? m.executionCount : null,
      errors: outs.filter(o => o.output_type === 'error').map(o => [o.ename, o.evalue]),
      streams: outs.filter(o => o.output_type === 'stream').map(o => o.text).join(''),
      source: m.sharedModel.getSource().slice(0, 120),
    };
  });
}""" % bu.JS_PANEL

# Run All has finished when its promise settled (it rejects at the first failed cell, while
# the kernel goes on with the rest: raises-exception), the kernel is idle and no cell's model
# is still running or queued. The models are checked, not the page: JupyterLab renders only
# the cells near the viewport.
JS_FINISHED = """(path) => {
  const panel = (%s)(path);
  if (!window.__mlRunDone) return false;
  const k = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  for (const cell of panel.content.widgets) {
    if (cell.model.type === 'code' && cell.model.executionState === 'running') return false;
  }
  return panel.content.widgets.filter(c => c.model.type === 'code' &&
                                            c.model.executionCount !== null).length;
}""" % bu.JS_PANEL

# Bring cell idx's output into view (JupyterLab renders only what is near the viewport), mark it.
JS_SHOW_CELL = """async ([path, idx]) => {
  const panel = (%s)(path);
  const nb = panel.content;
  nb.activeCellIndex = idx;
  if (nb.scrollToItem) { await nb.scrollToItem(idx, 'start'); }
  const cell = nb.widgets[idx];
  const out = cell.outputArea ? cell.outputArea.node : cell.node;
  out.scrollIntoView({block: 'center'});
  // JupyterLab renders a cell's output once it is near the viewport: on a loaded machine
  // that can take a while, so wait (up to 10 s) for text to appear.
  for (let waited = 0; waited < 10000 && !out.innerText.trim(); waited += 200) {
    await new Promise(r => setTimeout(r, 200));
  }
  await new Promise(r => setTimeout(r, 300));
  out.setAttribute('data-ml-student', String(idx));
  // innerText is what is laid out; a tall cell's output can stay unpainted (CSS
  // content-visibility) though it is in the page: then its text content.
  return out.innerText.trim() ? out.innerText : out.textContent;
}""" % bu.JS_PANEL


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    make_student.main(["--out", str(out)])
    return out


@pytest.fixture(scope="module")
def lab(edition, tmp_path_factory):
    server = bu.LabServer(edition, tmp_path_factory.mktemp("lab"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with playwright_sync.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(bu.CHROMIUM), headless=True, args=bu.CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000})
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    d = tmp_path_factory.mktemp("student-shots")
    yield d
    print(f"\nstudent edition screenshots: {d}")


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_run_all_reaches_the_end_with_every_check_reporting(nb, edition, lab, browser, shots):
    rel = f"notebooks/{nb.name}"
    student = nbformat.read(edition / rel, as_version=4)
    n_checks = sum(1 for c in student.cells
                   if c.cell_type == "code" and "check" in c.metadata.get("tags", []))
    assert n_checks >= 3, f"{rel}: the student edition has {n_checks} check cells"
    page = browser.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{lab.url}/lab/tree/{rel}?token={lab.token}")
        try:
            page.wait_for_function(bu.JS_READY, arg=rel, timeout=90_000, polling=250)
        except playwright_sync.TimeoutError:
            pytest.fail(f"{rel}: JupyterLab or the kernel was not ready after 90 s\n"
                        f"server log:\n{lab.tail_log()}")
        page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
        page.evaluate(bu.JS_RUN_ALL, rel)
        deadline, last, stable = time.monotonic() + 150, None, 0
        while stable < 3:                     # finished, and nothing changed for 1.5 s
            if time.monotonic() > deadline:
                pytest.fail(f"{rel}: Run All did not finish within 150 s")
            ran = page.evaluate(JS_FINISHED, rel)
            stable = stable + 1 if (ran and ran == last) else 0
            last = ran
            time.sleep(0.5)
        cells = page.evaluate(JS_CELLS, rel)

        code = [c for c in cells if c["type"] == "code"]
        not_run = [c for c in code if c["count"] is None]
        assert not not_run, (
            f"{rel}: Run All stopped early: {len(not_run)} code cell(s) never ran, the first "
            f"is cell {not_run[0]['idx']}:\n{not_run[0]['source']}\n(cells that failed before "
            f"it: {[(c['idx'], c['errors']) for c in code if c['errors']]})")
        assert code[-1]["count"] is not None, f"{rel}: the last code cell did not run"

        checks = [c for c in code if "check" in c["tags"]]
        assert len(checks) == n_checks
        for c in checks:
            assert "raises-exception" in c["tags"], f"{rel} cell {c['idx']}: no raises-exception tag"
            assert c["errors"], f"{rel} cell {c['idx']}: an unsolved check passed:\n{c['source']}"
            ename, evalue = c["errors"][0]
            assert ename == "CheckFailed", (f"{rel} cell {c['idx']}: the check failed with "
                                            f"{ename}: {evalue}, not a CheckFailed that explains")
            assert "not written yet" in evalue, f"{rel} cell {c['idx']}: message {evalue!r}"
        others = [(c["idx"], c["errors"]) for c in code if c["errors"] and "check" not in c["tags"]]
        assert not others, f"{rel}: cells other than checks failed: {others}"

        # What the learner sees: the first check's message, rendered under the cell.
        first = checks[0]["idx"]
        text = page.evaluate(JS_SHOW_CELL, [rel, first])
        assert "CheckFailed" in text and "not written yet" in text, (
            f"{rel}: the check cell does not show its message on the page:\n{text[:1500]}")
        page.mouse.move(0, 0)
        page.locator(f'[data-ml-student="{first}"]').screenshot(
            path=str(shots / f"{nb.stem}-check-cell{first}.png"))
        # And the end of the notebook, reached.
        page.evaluate(JS_SHOW_CELL, [rel, code[-1]["idx"]])
        page.screenshot(path=str(shots / f"{nb.stem}-end.png"))
    finally:
        try:
            page.evaluate(bu.JS_SHUTDOWN, rel)
        except Exception:
            pass
        page.close()
    assert rel not in lab.save_attempts(), f"JupyterLab tried to save {rel} (refused)"
