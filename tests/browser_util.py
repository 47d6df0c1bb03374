"""Helpers for the browser tests: a throwaway JupyterLab server, Debian's chromium through
Playwright, and the stepper's stored record (the static player's JSON) read from a notebook.

Nothing here writes to the repository: the server's settings, runtime files, checkpoints and
kernels' IPython profile live in a temporary directory, autosave is off, and the server's
contents manager refuses every save, rename and delete, so opening and running a notebook in
the browser cannot change it on disk.
"""

import html
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

# JupyterLab user settings for the test server: no news/update toasts, no autosave (the
# notebooks on disk are the expected record, the test must never overwrite them).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings":
        {"autosave": False},
}

SERVER_CONFIG = '''\
# Written by tests/browser_util.py for a throwaway server: it never writes into the repository.
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado import web


class ReadOnlyContentsManager(AsyncLargeFileManager):
    """Reads like the default; refuses (and notes) every save, rename and delete."""

    def _refuse(self, what, path):
        with open(%(attempts)r, "a") as f:
            f.write(path.lstrip("/") + "\\n")
        raise web.HTTPError(403, f"browser test server: {what} is disabled ({path})")

    async def save(self, model, path=""):
        self._refuse("saving", path)

    async def rename_file(self, old_path, new_path):
        self._refuse("renaming", old_path)

    async def delete_file(self, path):
        self._refuse("deleting", path)


c.ServerApp.contents_manager_class = ReadOnlyContentsManager
c.AsyncFileCheckpoints.root_dir = %(checkpoints)r
c.FileCheckpoints.root_dir = %(checkpoints)r
'''


# ---------------------------------------------------------------- the JupyterLab server

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """``jupyter lab`` from this interpreter's environment, on 127.0.0.1, with a random
    token, configured only from ``tmp`` (a fresh directory)."""

    def __init__(self, root, tmp):
        self.root, self.tmp = Path(root), Path(tmp)
        self.token = secrets.token_hex(16)
        self.proc = None
        self.port = None
        self.log_path = self.tmp / "lab.log"
        self.attempts_path = self.tmp / "save_attempts.txt"

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def _env(self):
        t = self.tmp
        dirs = {"JUPYTER_CONFIG_DIR": t / "config", "JUPYTER_DATA_DIR": t / "data",
                "JUPYTER_RUNTIME_DIR": t / "runtime", "JUPYTERLAB_SETTINGS_DIR": t / "settings",
                "JUPYTERLAB_WORKSPACES_DIR": t / "workspaces", "IPYTHONDIR": t / "ipython",
                "MPLCONFIGDIR": t / "mpl"}
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        for rel, values in LAB_SETTINGS.items():
            f = dirs["JUPYTERLAB_SETTINGS_DIR"] / rel
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(json.dumps(values))
        (t / "checkpoints").mkdir(exist_ok=True)
        (dirs["JUPYTER_CONFIG_DIR"] / "jupyter_server_config.py").write_text(
            SERVER_CONFIG % {"attempts": str(self.attempts_path),
                             "checkpoints": str(t / "checkpoints")})
        env = dict(os.environ)
        env.update({k: str(v) for k, v in dirs.items()})
        env.pop("JUPYTER_PATH", None)
        env.pop("JUPYTER_CONFIG_PATH", None)
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        return env, dirs

    def start(self, timeout=90):
        env, dirs = self._env()
        jupyter = Path(sys.executable).parent / "jupyter"
        for attempt in range(3):                      # a free port can be taken in between
            self.port = free_port()
            cmd = [str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                   "--port-retries=0", f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}",
                   f"--ServerApp.runtime_dir={dirs['JUPYTER_RUNTIME_DIR']}",
                   f"--LabApp.user_settings_dir={dirs['JUPYTERLAB_SETTINGS_DIR']}",
                   f"--LabApp.workspaces_dir={dirs['JUPYTERLAB_WORKSPACES_DIR']}",
                   "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
                   "--ServerApp.open_browser=False"]
            if os.getuid() == 0:
                cmd.append("--allow-root")
            self.log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdin=subprocess.DEVNULL,
                                         stdout=self.log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}",
                                                timeout=2) as r:
                        if r.status == 200:
                            return self
                except (urllib.error.URLError, OSError):
                    pass
                time.sleep(0.25)
            self.stop()
        raise RuntimeError(f"JupyterLab did not start; log:\n{self.tail_log()}")

    def save_attempts(self):
        """Paths (relative to the root) something asked the server to save."""
        try:
            return self.attempts_path.read_text().split()
        except FileNotFoundError:
            return []

    def tail_log(self, n=4000):
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self):
        """Terminate the server and everything it started (kernels), wait, then kill."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            try:   # ask politely: the server shuts its kernels down on SIGTERM
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        try:       # whatever is left in its session (kernels it spawned), by process group
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.log.close()


# ---------------------------------------------------------------- the stored record

PLAYER_DATA = re.compile(r"<script type='application/json' class='mlp-data'>(.*?)</script>", re.S)
PLAYER_STEP = re.compile(r"<div class='mlp-view'><div class='minloop-stepper' data-step='(\d+)'")


def stored_players(nb_path):
    """{cell id: [player, ...]} for every stepper output stored in the notebook, in output
    order. A player is its JSON data plus ``start``, the step the stored view shows."""
    nb = json.loads(Path(nb_path).read_text())
    found = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/html", "")
            text = "".join(text) if isinstance(text, list) else text
            m = PLAYER_DATA.search(text)
            if not m:
                continue
            data = json.loads(m.group(1))
            s = PLAYER_STEP.search(text)
            data["start"] = int(s.group(1)) if s else 0
            found.setdefault(cell.get("id"), []).append(data)
    return found


def stored_error_cells(nb_path):
    """Ids of cells whose stored outputs already show an error or a traceback (expected)."""
    nb = json.loads(Path(nb_path).read_text())
    ids = set()
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            text = "".join(out.get("text", "")) if out.get("output_type") == "stream" else ""
            if out.get("output_type") == "error" or ("Traceback" in text or "Error" in text):
                ids.add(cell.get("id"))
    return ids


def expected_panel(player, i):
    """What the panels must show at step ``i``, from the record."""
    t = player["trace"][i]
    return {
        "step": i,
        "phase": player["phases"][i],
        "ready": list(t["ready"]),
        "when": sorted(f"{w:.3f}" for w in t["when"][:15]),
        "tasks": [list(x) for x in t["tasks"]],
        "clock": f"{t['time']:.3f}",
        "running": t["handle"] or None,
        # The header line (title, step, iteration, phase, clock) as the record rendered it.
        "header": html_text(player["parts"][i][0]),
    }


def html_text(fragment):
    """The text a browser shows for a small HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


def next_index(player, i, action):
    """The step an action leads to from step ``i``: the Stepper's own rules, restated."""
    n = len(player["trace"])
    its = player["iterations"]
    if action in ("step", "ArrowRight"):
        return min(i + 1, n - 1)
    if action in ("back", "ArrowLeft"):
        return max(i - 1, 0)
    if action == "next":
        return next((j for j in range(i + 1, n) if its[j] > its[i]), n - 1)
    if action in ("end", "End"):
        return n - 1
    if action in ("reset", "Home"):
        return 0
    raise ValueError(action)


# ---------------------------------------------------------------- page-side snippets

# The notebook panel of a path, from JupyterLab's shell (window.jupyterapp).
JS_PANEL = """(path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path) return w;
  }
  return null;
}"""

JS_READY = """(path) => {
  const panel = (%s)(path);
  if (!panel || !panel.context.isReady || !panel.sessionContext.isReady) return false;
  const k = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && k.connectionStatus === 'connected';
}""" % JS_PANEL

JS_RUN_ALL = """(path) => {
  const panel = (%s)(path);
  window.jupyterapp.shell.activateById(panel.id);
  window.__mlRunDone = null;
  window.jupyterapp.commands.execute('notebook:run-all-cells').then(
    (r) => { window.__mlRunDone = {ok: r}; }, (e) => { window.__mlRunDone = {err: String(e)}; });
}""" % JS_PANEL

JS_RUN_FINISHED = """(path) => {
  const panel = (%s)(path);
  if (!window.__mlRunDone) return false;
  const k = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  for (const p of panel.node.querySelectorAll('.jp-InputPrompt')) {
    if (p.textContent.includes('[*]')) return false;
  }
  return true;
}""" % JS_PANEL

# Per cell (in notebook order): its id, what its outputs show that could be an error, and
# how many stepper widgets it holds (each is tagged data-ml-cell / data-ml-k for locators).
JS_SURVEY = """(path) => {
  const panel = (%s)(path);
  const cells = [];
  panel.content.widgets.forEach((cell, idx) => {
    const errors = [];
    for (const o of cell.node.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')) {
      const t = o.textContent;
      if (t.includes('Traceback') || t.includes('Error')) errors.push(t.slice(0, 2000));
    }
    for (const o of cell.node.querySelectorAll('.jp-OutputArea-output')) {
      const t = o.textContent;
      for (const bad of ['Error displaying widget', 'Loading widget', 'Failed to create view',
                         'Failed to create model', 'model not found']) {
        if (t.includes(bad)) errors.push('widget placeholder/error: ' + t.slice(0, 500));
      }
    }
    const widgets = cell.node.querySelectorAll('.minloop-stepper-widget');
    widgets.forEach((w, k) => { w.dataset.mlCell = cell.model.id; w.dataset.mlK = String(k); });
    cells.push({id: cell.model.id, index: idx, type: cell.model.type, errors,
                steppers: widgets.length});
  });
  return cells;
}""" % JS_PANEL

# What one live stepper widget shows right now.
JS_READ = """(el) => {
  const s = el.querySelector('.minloop-stepper');
  if (!s) return null;
  const head = s.querySelector(':scope > div');
  const clock = /clock t = (\\S+)/.exec(head ? head.textContent : '');
  const running = s.querySelector('.ml-running code');
  const readout = el.querySelector('.widget-readout');
  const handle = el.querySelector('.noUi-handle');
  return {
    step: Number(s.dataset.step),
    phase: s.dataset.phase,
    hll: Array.from(s.querySelectorAll('.hll'), (e) => e.textContent),
    ready: Array.from(s.querySelectorAll('.ml-ready-item'), (e) => e.textContent),
    when: Array.from(s.querySelectorAll('svg.ml-heap text'), (e) => e.textContent)
            .filter((t) => t.startsWith('when=')).map((t) => t.slice(5)).sort(),
    tasks: Array.from(s.querySelectorAll('table.ml-tasks tr.ml-task'),
                      (tr) => [tr.cells[0].textContent, tr.cells[2].textContent]),
    clock: clock ? clock[1] : null,
    running: running ? running.textContent : null,
    header: head ? head.textContent : '',
    slider: readout ? readout.textContent.trim() : null,
    steps: handle && handle.getAttribute('aria-valuemax') !== null
             ? Number(handle.getAttribute('aria-valuemax')) + 1 : null,
    // ms from the last click/key press to the first data-step change (see JS_ARM)
    latency: (el.__mlChanged != null && window.__mlT0 != null)
               ? el.__mlChanged - window.__mlT0 : null,
  };
}"""

# Latency: a capture listener notes when a click or key press reaches the page; a
# MutationObserver on the widget notes when its data-step first differs from before.
JS_ARM = """(el) => {
  if (!window.__mlListen) {
    window.__mlListen = true;
    const note = () => { window.__mlT0 = performance.now(); };
    document.addEventListener('click', note, true);
    document.addEventListener('keydown', note, true);
  }
  const cur = () => {
    const s = el.querySelector('.minloop-stepper');
    return s ? s.dataset.step : null;
  };
  el.__mlBefore = cur();
  el.__mlChanged = null;
  window.__mlT0 = null;
  if (!el.__mlObs) {
    el.__mlObs = new MutationObserver(() => {
      if (el.__mlChanged === null && cur() !== el.__mlBefore) el.__mlChanged = performance.now();
    });
    el.__mlObs.observe(el, {subtree: true, childList: true, attributes: true,
                            attributeFilter: ['data-step']});
  }
}"""

JS_SETTLED = """([el, want]) => {
  const s = el.querySelector('.minloop-stepper');
  const r = el.querySelector('.widget-readout');
  return !!s && s.dataset.step === String(want) && (!r || r.textContent.trim() === String(want));
}"""

JS_SHUTDOWN = """async (path) => {
  const panel = (%s)(path);
  if (panel) { try { await panel.sessionContext.shutdown(); } catch (e) {} }
}""" % JS_PANEL
