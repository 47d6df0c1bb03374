"""A picture of the waiting-on tree (minloop.graph.waiting_tree): who waits on what.

Each Task or Future is a box; an arrow goes from a waiter down to what it waits on. Tasks
are coloured by state (the stepper's colours), a Future at the bottom by what can complete
it: a timer, a ready callback or IO (blue), or nothing at all (red: a stuck branch).
The text view is ``minloop.graph.format_waiting_tree``; both read the same WaitNode tree.
"""

from .stepper import STATE_COLORS

__all__ = ("layout_waiting_tree", "plot_waiting_tree")

LEAF_COLORS = {"timer": STATE_COLORS["ready"], "ready": STATE_COLORS["ready"],
               "io": STATE_COLORS["ready"], "stuck": STATE_COLORS["failed"], "": "#9e9e9e"}


def _color(node):
    if node.kind == "task":
        return STATE_COLORS.get(node.state, "#9e9e9e")
    if node.kind == "repeat":
        return "#bdbdbd"
    return LEAF_COLORS.get(node.state, "#9e9e9e")


def layout_waiting_tree(roots):
    """[(node, x, depth, parent_index)]: leaves at x = 0, 1, 2... left to right, a parent
    centred over its children, depth 0 for the roots."""
    placed = []
    next_x = [0]

    def place(node, depth, parent):
        index = len(placed)
        placed.append(None)
        xs = [place(kid, depth + 1, index) for kid in node.children]
        if xs:
            x = (xs[0] + xs[-1]) / 2
        else:
            x = next_x[0]
            next_x[0] += 1
        placed[index] = (node, x, depth, parent)
        return x

    for root in roots:
        place(root, 0, None)
    return placed


def _box_text(node):
    label = node.label
    if node.kind == "task":
        name, _, where = label.partition(" at ")
        frames = where.split(" > ") if where else []
        if len(frames) > 2:                      # outermost and innermost frame only
            frames = [frames[0], "...", frames[-1]]
        return "\n".join([name, node.state] + frames)
    if node.note:
        short = {"timer": "timer: " + node.note.split("t=")[-1].split(" ")[0],
                 "ready": "ready queue", "io": "IO", "stuck": "nothing will\ncomplete it"}
        return f"{label}\n{short.get(node.state, '')}"
    return label


def plot_waiting_tree(roots, *, ax=None, title=None):
    """Draw the tree (a list of WaitNode roots, from waiting_tree()). Returns the Figure."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    placed = layout_waiting_tree(roots)
    width = max((x for _, x, _, _ in placed), default=0) + 1
    depth = max((d for _, _, d, _ in placed), default=0) + 1
    longest = max((len(line) for node, *_ in placed for line in _box_text(node).split("\n")),
                  default=10)
    if ax is None:
        per_leaf = max(2.3, 0.075 * longest + 0.5)     # inches: room for the widest box
        fig, ax = plt.subplots(figsize=(max(6.0, per_leaf * width), 1.35 * depth + 1.2))
    else:
        fig = ax.figure
    for node, x, d, parent in placed:
        if parent is not None:
            _, px, pd, _ = placed[parent]
            ax.annotate("", xy=(x, -d + 0.3), xytext=(px, -pd - 0.3),
                        arrowprops=dict(arrowstyle="->", color="#616161", lw=1.2))
        ax.text(x, -d, _box_text(node), ha="center", va="center", fontsize=8,
                bbox=dict(boxstyle="round,pad=0.35", fc="white", ec=_color(node), lw=2),
                color="black")
    ax.set_xlim(-0.7, width - 0.3)
    ax.set_ylim(-depth + 0.4, 0.6)
    ax.axis("off")
    ax.set_title(title or "What is each Task waiting on?", fontsize=10)
    # The legend names only the kinds of box this picture has.
    drawn = {_color(node) for node, *_ in placed}
    kinds = [(STATE_COLORS["waiting"], "Task waiting"), (STATE_COLORS["running"], "Task running"),
             (STATE_COLORS["ready"], "the loop will wake it"),
             (STATE_COLORS["failed"], "nothing will complete it"),
             ("#9e9e9e", "a Future others wait through")]
    handles = [Patch(fc="white", ec=color, lw=2, label=label)
               for color, label in kinds if color in drawn]
    wide = fig.get_figwidth() >= 8
    fig.legend(handles=handles, loc="lower center", ncol=4 if wide else 2, fontsize=8,
               frameon=False)
    fig.tight_layout(rect=(0, 0.07 if wide else 0.12, 1, 1))
    return fig
