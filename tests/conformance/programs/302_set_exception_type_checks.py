"""Future.set_exception() refuses what is not an exception with TypeError and leaves the Future
pending; an exception class is instantiated; a non-exception class is refused.
"""

loop = asyncio.new_event_loop()
values = ["boom", 42, None, int, object, ValueError, ValueError("x"), KeyboardInterrupt(),
          StopIteration, StopIteration(1)]
for value in values:
    fut = loop.create_future()
    label = value.__name__ if isinstance(value, type) else repr(value)
    try:
        fut.set_exception(value)
    except TypeError as exc:
        print(f"{label}: TypeError: {exc}; done={fut.done()}")
    else:
        print(f"{label}: set; exception()={fut.exception()!r}")
    fut.cancel()   # nothing is left to report as "never retrieved"
loop.close()
print("nothing printed on stderr")
