"""Write the static HTML edition of the course: one page per chapter plus an index.

    python tools/make_html.py [--out html]

Pages are made from the notebooks' STORED outputs (nothing is executed) with nbconvert's
'lab' template, minus everything it would fetch from a CDN (require.js, MathJax, mermaid,
the widget manager): the edition opens from the file system with no network and no kernel.

* Output per cell: the richest mime that works statically: text/html (the stepper's
  self-contained player, with its inlined script: nbconvert does not sanitize, we make sure
  of it), then image/png (embedded as a data URI), then text/plain. A live widget's
  view mime is only a pointer to a kernel-side model: it is dropped, or replaced by a note.
* Layout: ``index.html`` and ``notebooks/NN_topic.html``, so a notebook's ``../images/x.png``
  finds ``images/`` (copied from the repo); links to ``NN_x.ipynb`` become ``NN_x.html``.
"""

import argparse
import html
import re
import shutil
import sys
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
COURSE_TITLE = "minloop: how asyncio works inside"
INTRO = ("A course that explains Python's asyncio from the inside by building <code>minloop</code>, "
         "a small event loop in plain Python with CPython's structure and names. This is the "
         "static edition: every chapter with its stored outputs; the <code>_run_once</code> "
         "steppers play back in the page with no kernel. To run the code and do the exercises, "
         "open the notebooks in Jupyter (<code>make lab</code>).")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PRIORITY = ["text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown",
            "text/latex", "text/plain"]
IMAGE_SUFFIXES = {".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp"}

# The 'lab' page with its CDN scripts taken out and our navigation bar added.
TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block html_head_js %}{% endblock html_head_js %}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block html_head_js_mathjax %}{% endblock html_head_js_mathjax %}
{% block html_head_js_mermaidjs %}{% endblock html_head_js_mermaidjs %}
{% block extra_css %}<style>{{ resources.page_css }}</style>{% endblock extra_css %}
{% block body_header %}{{ super() }}{{ resources.nav }}{% endblock body_header %}
{% block body_footer %}{{ resources.nav }}{{ super() }}{% endblock body_footer %}
"""
PAGE_CSS = """
nav.mlc-nav { display: flex; justify-content: space-between; gap: 1em; padding: 8px 16px;
  margin: 8px 0; background: #f3f6fa; border: 1px solid #d0d7de; border-radius: 4px;
  font: 14px sans-serif; }
nav.mlc-nav a { text-decoration: none; color: #0b57d0; }
nav.mlc-nav span { color: #999; }
body.mlc-index { max-width: 50em; margin: 2em auto; padding: 0 1em; font: 16px/1.5 sans-serif; }
body.mlc-index ul.mlc-chapters { list-style: none; padding-left: 0; }
body.mlc-index li { margin: .3em 0; }
/* The lab page sets `.jp-OutputArea-output pre { font-family: inherit }`: give the stepper's
   source and output panels their monospace font back. */
.jp-OutputArea-output .minloop-stepper pre { font-family: var(--jp-code-font-family, monospace); }
"""


def chapter_title(nb, fallback):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def inline_md(text):
    """A heading's text as HTML: escaped, with `code` spans."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def static_outputs(nb):
    """Drop what needs a live kernel: widget state, and widget views (a note if alone)."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                if not data:
                    data["text/plain"] = "(an interactive widget: run the notebook in Jupyter to use it)"
    return nb


def nav(chapters, i):
    def link(j, label):
        if 0 <= j < len(chapters):
            return f"<a href='{chapters[j]['html']}'>{label}</a>"
        return f"<span>{label}</span>"
    return (f"<nav class='mlc-nav'>{link(i - 1, '&larr; previous')}"
            f"<a href='../index.html'>index</a>{link(i + 1, 'next &rarr;')}</nav>")


def make_exporter():
    config = Config({"NbConvertBase": {"display_data_priority": PRIORITY}})
    return HTMLExporter(config=config, template_name="lab", template_file="minloop.html.j2",
                        extra_loaders=[DictLoader({"minloop.html.j2": TEMPLATE})],
                        sanitize_html=False)   # keep the stepper player's <script>


def link_ipynb(page):
    """Local links to notebooks point at their pages: href="03_x.ipynb#a" -> "03_x.html#a"."""
    return re.sub(r"""(href=["'])(?![a-zA-Z][\w+.-]*:)([^"'#]*?)\.ipynb(?=["'#])""",
                  r"\1\2.html", page)


def write_index(out, chapters):
    items = "\n".join(f"<li><a href='{c['path']}'>{inline_md(c['title'])}</a></li>"
                      for c in chapters)
    page = (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(COURSE_TITLE)}</title><style>{PAGE_CSS}</style></head>\n"
            f"<body class='mlc-index'><h1>{html.escape(COURSE_TITLE)}</h1>\n<p>{INTRO}</p>\n"
            f"<h2>Chapters</h2>\n<ul class='mlc-chapters'>\n{items}\n</ul>\n</body></html>\n")
    (out / "index.html").write_text(page, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "html")
    out = parser.parse_args(argv).out.resolve()
    if out == ROOT or out in ROOT.parents:
        sys.exit(f"make_html: refusing to write into {out}: give a folder of its own")
    (out / "notebooks").mkdir(parents=True, exist_ok=True)

    chapters = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        chapters.append({"nb": nb, "title": chapter_title(nb, path.stem),
                         "html": path.stem + ".html", "path": f"notebooks/{path.stem}.html"})
    if not chapters:
        sys.exit("make_html: no notebooks/NN_*.ipynb found")
    for stale in (out / "notebooks").glob("[0-9][0-9]_*.html"):
        if stale.name not in {c["html"] for c in chapters}:
            stale.unlink()
            print(f"removed stale {stale}")

    exporter = make_exporter()
    for i, ch in enumerate(chapters):
        nb = static_outputs(ch["nb"])
        nb.metadata["title"] = re.sub(r"`([^`]*)`", r"\1", ch["title"])
        resources = {"nav": nav(chapters, i), "page_css": PAGE_CSS,
                     "metadata": {"name": ch["title"]}}
        page, _ = exporter.from_notebook_node(nb, resources=resources)
        (out / ch["path"]).write_text(link_ipynb(page), encoding="utf-8")
        players = len(re.findall(r"class=[\"']minloop-player[\"']", page))
        print(f"wrote {out / ch['path']}" + (f"  ({players} stepper player(s))" if players else ""))

    write_index(out, chapters)
    print(f"wrote {out / 'index.html'}  ({len(chapters)} chapters)")
    images = [p for p in sorted((ROOT / "images").glob("*")) if p.suffix.lower() in IMAGE_SUFFIXES]
    (out / "images").mkdir(exist_ok=True)
    for img in images:
        shutil.copy2(img, out / "images" / img.name)
    print(f"copied {len(images)} image(s) to {out / 'images'}")
    print(f"open file://{out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
