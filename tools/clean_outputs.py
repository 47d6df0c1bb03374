"""Keep stored notebook outputs meaningful and stable (run by `make execute`).

    python tools/clean_outputs.py notebooks/*.ipynb

A live widget's stored output is only a pointer to a model that exists while its kernel
runs ("application/vnd.jupyter.widget-view+json", with a random model id), plus a copy of
all widget state in the notebook's metadata. Without a kernel neither shows anything useful,
and both change on every run. The stepper also stores a static player (text/html) and a
text view (text/plain): those are what a reader without a kernel sees, and what nbval
compares. So we drop the pointer, the widget state and execution timings, and keep the rest.

A cell's printed text arrives as a series of stream messages whose boundaries depend on when
the kernel flushed (a loaded machine splits one line in two): adjacent outputs of the same
stream are joined into one, so a re-run stores the same JSON (nbval joins them too).
"""

import sys

import nbformat

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def coalesce_streams(outputs):
    merged = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged
                and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] = merged[-1]["text"] + out["text"]
        else:
            merged.append(out)
    return merged


def clean(nb):
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data and WIDGET_VIEW in data and len(data) > 1:
                del data[WIDGET_VIEW]
    return nb


def main(paths):
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        nbformat.write(clean(nb), path)
        print(f"cleaned {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
