"""The static HTML edition (tools/make_html.py): built into a temporary folder, then checked
as files (index, links, no network references) and in Debian's chromium (every stepper
player on every page plays back its recorded run, panels matching the record)."""

import collections
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from minloop.viz.stepper import PHASE_TITLES

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
EMBEDDING = {("script", "src"), ("link", "href"), ("img", "src"), ("source", "src"),
             ("iframe", "src"), ("video", "src"), ("audio", "src"), ("embed", "src")}


def notebooks():
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def heading(nb_path):
    """The notebook's first '# ' heading, backticks dropped (as the page shows it)."""
    for cell in json.loads(nb_path.read_text())["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip().replace("`", "")
    return nb_path.stem


class Page(HTMLParser):
    """Every (tag, attribute, url) of a page, its element ids, and the text of its <a>s."""

    def __init__(self, path):
        super().__init__()
        self.urls, self.ids, self.anchors, self._a = [], set(), [], None
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(name):
                self.ids.add(attrs[name])
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.urls.append((tag, name, attrs[name]))
        if tag == "a":
            self._a = [attrs.get("href"), ""]
            self.anchors.append(self._a)

    def handle_endtag(self, tag):
        if tag == "a":
            self._a = None

    def handle_data(self, data):
        if self._a is not None:
            self._a[1] += data


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("html_edition")
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "make_html.py"), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=100)
    assert proc.returncode == 0, f"make_html.py failed:\n{proc.stdout}\n{proc.stderr}"
    return out


@pytest.mark.timeout(120)   # includes building the edition (the module's fixture)
def test_index_lists_every_chapter_in_order(edition):
    index = Page(edition / "index.html")
    links = [(href, " ".join(text.split())) for href, text in index.anchors]
    want = [(f"notebooks/{nb.stem}.html", heading(nb)) for nb in notebooks()]
    assert links == want, "index.html must link every notebook, in reading order, by its title"
    names = [Path(href).name for href, _ in want]
    for i, name in enumerate(names):
        page = (edition / "notebooks" / name).read_text(encoding="utf-8")
        want_nav = ([names[i - 1]] if i else []) + ["../index.html"] + names[i + 1:i + 2]
        navs = [re.findall(r"href=[\"']([^\"']*)", nav)
                for nav in re.findall(r"<nav class=[\"']mlc-nav[\"']>(.*?)</nav>", page, re.S)]
        assert navs == [want_nav, want_nav], \
            f"{name}: prev / index / next links expected at the top and the bottom, got {navs}"


@pytest.mark.timeout(120)
def test_local_links_resolve_and_nothing_is_fetched_from_the_network(edition):
    pages = [edition / "index.html"] + sorted((edition / "notebooks").glob("*.html"))
    parsed = {p.resolve(): Page(p) for p in pages}
    broken, remote = [], []
    for page, doc in parsed.items():
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r"url\(\s*['\"]?(https?:)|@import", text):
            remote.append(f"{page.name}: CSS {m.group(0)!r}")
        for tag, attr, url in doc.urls:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                if (tag, attr) in EMBEDDING:
                    remote.append(f"{page.name}: <{tag} {attr}={url}>")
                continue
            if parts.scheme or url.startswith("//"):
                continue   # data:, mailto:, ... carry no file
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                broken.append(f"{page.name}: <{tag} {attr}={url}> -> missing {target}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else Page(target).ids
                # A browser tries the fragment as written, then percent-decoded (nbconvert's
                # heading ids are themselves percent-encoded).
                if not {parts.fragment, unquote(parts.fragment)} & ids:
                    broken.append(f"{page.name}: <{tag} {attr}={url}> -> no id in {target.name}")
        assert "application/vnd.jupyter.widget-view+json" not in text, \
            f"{page.name}: a widget view pointer (shows as a broken placeholder without a kernel)"
    assert not remote, "scripts, styles and images must not come from the network:\n" + "\n".join(remote)
    assert not broken, "local links that do not resolve:\n" + "\n".join(broken)
    # Every stored stepper player made it to its page, with its script.
    for nb in notebooks():
        stored = nb.read_text().count("class='minloop-player'")
        page = (edition / "notebooks" / f"{nb.stem}.html").read_text(encoding="utf-8")
        assert len(re.findall(r"class=[\"']minloop-player[\"']", page)) == stored, nb.name
        assert page.count("document.currentScript.parentElement") >= stored, \
            f"{nb.name}: the player's inlined <script> was dropped"


# ---------------------------------------------------------------- the player in a browser

JS_READ = """(root) => {
  const s = root.querySelector('.mlp-view .minloop-stepper');
  const head = s.querySelector(':scope > div');
  const running = s.querySelector('.ml-running code');
  return {
    step: Number(s.dataset.step), phase: s.dataset.phase, head: head.textContent,
    slider: Number(root.querySelector('input.mlp-slider').value),
    hll: Array.from(s.querySelectorAll('.ml-src .hll'), (e) => e.textContent),
    ready: Array.from(s.querySelectorAll('.ml-ready-item'), (e) => e.textContent),
    when: Array.from(s.querySelectorAll('svg.ml-heap text'), (e) => e.textContent)
            .filter((t) => t.startsWith('when=')),
    tasks: Array.from(s.querySelectorAll('table.ml-tasks tr.ml-task'),
                      (tr) => [tr.cells[0].textContent, tr.cells[2].textContent]),
    running: running ? running.textContent : null,
    font: getComputedStyle(s.querySelector('.ml-src pre')).fontFamily,
  };
}"""


def check_shown(player, data, i, what):
    got = player.evaluate(JS_READ)
    t, phase = data["trace"][i], data["phases"][i]
    where = f"after {what}: step {i}"
    assert (got["step"], got["phase"], got["slider"]) == (i, phase, i), f"{where}: shows {got['step']}"
    assert PHASE_TITLES[phase] in got["head"], f"{where}: phase title missing: {got['head']!r}"
    assert f"t = {t['time']:.3f}" in got["head"], f"{where}: clock wrong: {got['head']!r}"
    assert got["ready"] == t["ready"], f"{where}: _ready panel"
    assert collections.Counter(got["when"]) == \
        collections.Counter(f"when={w:.3f}" for w in t["when"][:15]), f"{where}: heap panel"
    assert got["tasks"] == [list(x) for x in t["tasks"]], f"{where}: Tasks table"
    assert got["running"] == t["handle"], f"{where}: running handle"
    assert "mono" in got["font"].lower(), f"{where}: the source is not in a monospace font"
    assert got["hll"] and any(f'trace("{phase}"' in line for line in got["hll"]), \
        f"{where}: highlighted source lines {got['hll']} miss trace(\"{phase}\""


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_players_step_through_the_record_in_chromium(edition):
    if not CHROMIUM.exists():
        pytest.skip(f"browser test needs Debian's chromium: {CHROMIUM} not found")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")
    pages = [p for p in sorted((edition / "notebooks").glob("*.html"))
             if "minloop-player" in p.read_text(encoding="utf-8")]
    assert pages, "no chapter page holds a stepper player"
    best = -1
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for path in pages:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                errors, failed = [], []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("requestfailed", lambda r: failed.append(r.url))
                page.route(re.compile(r"^https?://"),
                           lambda route: (failed.append(route.request.url), route.abort()))
                page.goto(path.as_uri(), wait_until="load")
                controls = page.locator(".minloop-player .mlp-controls")
                assert controls.count() >= 1
                for k in range(controls.count()):   # shown by player.js: every script ran
                    assert controls.nth(k).is_visible(), f"{path.name}: player {k} has no controls"

                player = page.locator(".minloop-player").first
                data = json.loads(player.locator("script.mlp-data").text_content())
                n, its = len(data["trace"]), data["iterations"]
                assert len(data["phases"]) == n > 1
                i = player.evaluate(JS_READ)["step"]
                check_shown(player, data, i, "loading")

                def act(name, expect):
                    player.locator(f"button[data-act='{name}']").click()
                    check_shown(player, data, expect, name)
                    return expect

                i = act("reset", 0)
                i = act("back", 0)                       # stays at the first step
                i = act("step", 1)
                i = act("step", min(2, n - 1))
                i = act("back", i - 1)
                assert max(its) > its[i], f"{path.name}: the run has a single iteration"
                j = next(j for j in range(i + 1, n) if its[j] > its[i])
                i = act("next", j)
                assert data["phases"][i] == "purge" and its[i] > its[i - 1], \
                    f"{path.name}: Next iteration must land on (1) purge of a later iteration"
                i = act("end", n - 1)
                i = act("step", n - 1)                   # stays at the last step
                i = act("reset", 0)
                # The slider, to the busiest step (most to look at in the screenshot).
                score = [len(t["ready"]) + len(t["when"]) + 2 * len(t["tasks"]) for t in data["trace"]]
                i = max(range(n), key=score.__getitem__)
                player.locator("input.mlp-slider").evaluate(
                    "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }", i)
                check_shown(player, data, i, "the slider")
                if score[i] > best:
                    best = score[i]
                    shot = edition / "player.png"
                    player.screenshot(path=str(shot))
                    print(f"screenshot of {path.name} step {i}: {shot}")
                assert not errors, f"{path.name}: page errors: {errors}"
                assert not failed, f"{path.name}: failed or network requests: {failed}"
                page.close()
        finally:
            browser.close()
