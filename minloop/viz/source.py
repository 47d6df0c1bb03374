"""Show source code from the package itself, so a notebook never holds a pasted copy that
could drift from the code that runs."""

import html
import inspect
import textwrap

__all__ = ("show_source", "Source")


class Source:
    """Source text with optional highlighted lines. Displays as highlighted HTML in Jupyter
    and as plain text everywhere else (nbval compares both)."""

    def __init__(self, text, title="", highlight=()):
        self.text = text
        self.title = title
        self.highlight = set(highlight)   # 1-based line numbers within ``text``

    def __repr__(self):
        head = f"# {self.title}\n" if self.title else ""
        return head + self.text

    def _repr_html_(self):
        try:
            from pygments import highlight as pyg_highlight
            from pygments.formatters import HtmlFormatter
            from pygments.lexers import PythonLexer
            body = pyg_highlight(self.text, PythonLexer(),
                                 HtmlFormatter(noclasses=True, hl_lines=sorted(self.highlight),
                                               nowrap=False, style="default"))
            # Long lines scroll sideways instead of wrapping (JupyterLab wraps <pre> by default).
            body = body.replace('<pre style="', '<pre style="white-space:pre;overflow-x:auto;', 1)
        except ImportError:  # pragma: no cover - pygments comes with IPython
            body = "<pre>" + html.escape(self.text) + "</pre>"
        title = (f"<div style='font-family:monospace;color:#555'>{html.escape(self.title)}</div>"
                 if self.title else "")
        return f"<div class='minloop-source'>{title}{body}</div>"


def show_source(obj, *, lines=None, highlight=()):
    """The source of a function, class or module, read from the installed package.

    ``lines=(start, end)`` keeps only that 1-based, inclusive range of the object's source."""
    text = textwrap.dedent(inspect.getsource(obj))
    if lines is not None:
        start, end = lines
        text = "\n".join(text.splitlines()[start - 1:end]) + "\n"
    module = inspect.getmodule(obj)
    qualname = getattr(obj, "__qualname__", getattr(obj, "__name__", ""))
    title = f"{module.__name__}.{qualname}" if module is not None and module is not obj \
        else getattr(obj, "__name__", "")
    return Source(text, title=title, highlight=highlight)
