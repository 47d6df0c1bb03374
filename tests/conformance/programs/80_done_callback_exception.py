"""An exception in a Future done callback goes to the exception handler as 'Exception in callback <fn>(<future repr>) at file:line'; other callbacks still run.
"""


def handler(loop, context):
    print('handler:', context['message'])
    print('  exception:', repr(context['exception']))


def broken(fut):
    raise RuntimeError('callback broke')


def fine(fut):
    print('fine callback runs, result', fut.result())


loop = asyncio.new_event_loop()
loop.set_exception_handler(handler)
fut = loop.create_future()
fut.add_done_callback(broken)
fut.add_done_callback(fine)
fut.set_result(10)
loop.call_soon(loop.stop)
loop.run_forever()
loop.close()
