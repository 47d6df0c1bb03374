"""The course's views of minloop: source display, exercise checks, the stepper, the timeline.

Nothing here is part of the loop. ipywidgets and matplotlib are imported only by the
submodules that need them (stepper, timeline, backpressure), so ``import minloop`` never pulls them in.

    from minloop.viz.source import show_source      # a function's source, from the package
    from minloop.viz.checks import check, expect_error ...
    from minloop.viz.stepper import Stepper         # step through _run_once
    from minloop.viz.timeline import plot_timeline  # Tasks over (virtual) time
    from minloop.viz.backpressure import plot_write_buffer   # a transport's buffer and drain()
"""
