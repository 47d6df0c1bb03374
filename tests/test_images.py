"""images/make_images.py: the diagrams are generated, follow the code, and are committed
up to date (``make images`` regenerates them)."""

import importlib.util
import inspect
import re
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "images" / "make_images.py"
NAMES = ["run_once_phases", "task_scheduling", "heap"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _load_script():
    spec = importlib.util.spec_from_file_location("make_images", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mi = _load_script()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Run the script, as `make images` does, into a temporary directory."""
    out = tmp_path_factory.mktemp("images")
    proc = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"make_images.py failed:\n{proc.stdout}\n{proc.stderr}"
    return out


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR", f"{path.name}: no IHDR chunk first"
    return struct.unpack(">II", data[16:24])


def svg_texts(path):
    """The strings drawn in an SVG: matplotlib writes each text line as a comment before
    its glyph paths (svg.fonttype = "path")."""
    return re.findall(r"<!-- (.*?) -->", path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the files


@pytest.mark.parametrize("name", NAMES)
def test_each_diagram_is_a_png_and_an_svg_of_a_notebook_friendly_size(generated, name):
    width, height = png_size(generated / f"{name}.png")
    assert 900 <= width <= 1100, f"{name}.png is {width} px wide"
    assert 300 <= height <= 2000, f"{name}.png is {height} px high"
    svg = (generated / f"{name}.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "<dc:date>" not in svg, "the SVG carries a date: it would change on every run"


def test_the_script_writes_only_the_expected_files(generated):
    assert sorted(p.name for p in generated.iterdir()) == sorted(
        f"{n}.{ext}" for n in NAMES for ext in ("png", "svg"))


@pytest.mark.parametrize("name", NAMES)
def test_committed_images_are_up_to_date(generated, name):
    """images/*.png and *.svg are what the script makes now (else: run `make images`)."""
    hint = f"images/{name}: out of date; run `make images` and commit the result"
    new_png, old_png = generated / f"{name}.png", ROOT / "images" / f"{name}.png"
    assert old_png.exists(), hint
    if new_png.read_bytes() != old_png.read_bytes():
        # Not byte-identical (another libpng/zlib, say): the pixels must still agree.
        import matplotlib.image as mpimg
        a, b = mpimg.imread(new_png), mpimg.imread(old_png)
        assert a.shape == b.shape, f"{hint} (size {b.shape} -> {a.shape})"
        diff = np.abs(a.astype(float) - b.astype(float))
        assert diff.max() <= 2 / 255 and diff.mean() < 1e-4, hint
    new_svg, old_svg = generated / f"{name}.svg", ROOT / "images" / f"{name}.svg"
    assert old_svg.exists(), hint
    if new_svg.read_bytes() != old_svg.read_bytes():
        assert svg_texts(new_svg) == svg_texts(old_svg), hint


def test_output_is_reproducible(generated, tmp_path):
    """Drawing again, in this process, gives the same bytes (no dates, random ids or system
    fonts), and leaves this process's matplotlib settings alone."""
    import matplotlib
    before = dict(matplotlib.rcParams)
    mi.draw_heap(tmp_path)
    assert dict(matplotlib.rcParams) == before
    for ext in ("png", "svg"):
        assert (tmp_path / f"heap.{ext}").read_bytes() == (generated / f"heap.{ext}").read_bytes()


# ---------------------------------------------------------------- the phases follow the code


def test_phase_comments_are_parsed_from_run_once():
    from minloop.base_events import BaseEventLoop
    source = inspect.getsource(BaseEventLoop._run_once)
    firsts = [m.group(2) for m in re.finditer(r"^\s*# \((\d)\) (.*)$", source, re.M)]
    sections = mi.phase_sections()
    assert sorted(sections) == [1, 2, 3, 4, 5, 6]
    assert len(firsts) == 6
    for k, first in enumerate(firsts, 1):
        comment, code = sections[k]
        assert comment.startswith(first.strip())
        assert code[0].strip().startswith(f"# ({k})")
    titles = mi.phase_titles()
    for k, title in titles.items():
        # a title is made of the comment's own words, from its start
        words = [w.lower() for w in re.findall(r"[\w()?]+", sections[k][0].replace("`", ""))]
        title_words = [w.lower() for w in re.findall(r"[\w()?]+", title)]
        assert all(w in words[:15] for w in title_words), (k, title, sections[k][0])
        assert 3 <= len(title) <= 60


def test_phase_titles_are_what_the_diagram_shows(generated):
    drawn = " ".join(svg_texts(generated / "run_once_phases.svg"))
    for k, title in mi.phase_titles().items():
        assert f"{k} {title}" in drawn, f"phase ({k}) {title!r} is not in the diagram"
        # and the code line shown under it is a line of that phase
        code = mi.phase_code_line(k, mi.phase_sections())
        assert code in drawn and code in "\n".join(mi.phase_sections()[k][1])


def test_short_title_takes_the_first_clause():
    assert mi.short_title("Purge cancelled timers. A cancelled TimerHandle stays in the heap "
                          "(removing") == "Purge cancelled timers"
    assert mi.short_title("How long may select() block? Not at all if") == \
        "How long may select() block?"
    assert mi.short_title("Wait for IO, at most `timeout` seconds.") == "Wait for IO"
    assert mi.short_title("This is the only place where callbacks are actually called. We") \
        == "The only place where callbacks are called"
    assert mi.short_title("move due timers: see `_scheduled`") == "Move due timers"


def _without(source, k):
    return "\n".join(line for line in source.splitlines() if f"# ({k})" not in line)


@pytest.mark.parametrize("k", [1, 3, 6])
def test_a_missing_phase_comment_fails_loudly(k, tmp_path):
    source = mi.run_once_source()
    with pytest.raises(ValueError, match=rf"missing \({k}\)"):
        mi.phase_sections(_without(source, k))
    with pytest.raises(ValueError, match=rf"missing \({k}\)"):
        mi.draw_run_once_phases(tmp_path, source=_without(source, k))
    assert not list(tmp_path.iterdir()), "nothing is written when the parse fails"


def test_phase_comments_out_of_order_or_twice_fail():
    source = mi.run_once_source()
    swapped = source.replace("# (4)", "# (TMP)").replace("# (5)", "# (4)").replace("# (TMP)",
                                                                                   "# (5)")
    with pytest.raises(ValueError, match="in order"):
        mi.phase_sections(swapped)
    with pytest.raises(ValueError, match="once each"):
        mi.phase_sections(source.replace("# (2)", "# (1)"))


def test_an_arrow_the_code_does_not_back_fails(tmp_path):
    """Each read/write arrow must match a line of its phase: drop phase 5's append, and the
    diagram refuses to claim that phase 5 writes _ready."""
    source = mi.run_once_source().replace("self._ready.append(handle)", "pass")
    with pytest.raises(ValueError, match=r"phase \(5\)"):
        mi.draw_run_once_phases(tmp_path, source=source)


def test_the_layout_check_catches_overlapping_and_small_text():
    fig, ax = mi.new_figure(4, 2)
    mi.text(ax, 1, 1, "hello there")
    mi.text(ax, 1.1, 1.02, "overlapping")
    mi.text(ax, 1, 0.3, "tiny", size=7)
    with pytest.raises(mi.LayoutError) as info:
        mi.check_layout(fig, "probe")
    assert "overlaps" in str(info.value) and "7" in str(info.value)


def test_heap_image_comes_from_a_real_loop():
    whens = mi.timer_heap()
    assert sorted(whens) == sorted(float(d) for d in mi.HEAP_DELAYS)
    assert all(whens[(i - 1) // 2] <= whens[i] for i in range(1, len(whens)))
    assert whens != sorted(whens), "pick delays whose heap is not sorted: that is the lesson"
