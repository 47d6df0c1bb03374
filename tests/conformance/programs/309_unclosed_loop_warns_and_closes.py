"""A loop dropped without close() warns "unclosed event loop <...>" (ResourceWarning) and closes
itself, as asyncio's does; a closed loop dropped says nothing.

The loop's class name is normalized (it is the network layer's: _UnixSelectorEventLoop in
asyncio).
"""
import gc
import re
import warnings


def drop(close):
    loop = asyncio.new_event_loop()
    if close:
        loop.close()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del loop
        gc.collect()
    for w in caught:
        print(w.category.__name__, re.sub(r"<\w*SelectorEventLoop ", "<LOOP ", str(w.message)))
    print("warnings:", len(caught))


drop(close=False)
drop(close=True)


async def main():
    return "ran"

print(asyncio.run(main()))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    gc.collect()
print("after run():", len(caught))
