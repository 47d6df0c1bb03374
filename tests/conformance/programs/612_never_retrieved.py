"""The exception handler gets 'Task exception was never retrieved' (keys, exception) when a failed Task nobody awaited is collected, and 'Future exception was never retrieved' for a Future; retrieving the exception (or cancelling) silences it.
"""
import gc


def handler(loop, context):
    exc = context.get('exception')
    obj = context.get('task', context.get('future'))
    print('handler:', context['message'], '|', sorted(context), '|', repr(exc), '|', type(obj).__name__)


async def boom():
    raise ValueError('lost')


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    t = asyncio.create_task(boom())
    await asyncio.sleep(0)
    print('task done', t.done())
    del t
    gc.collect()
    print('after collecting the task')
    f = loop.create_future()
    f.set_exception(KeyError('also lost'))
    del f
    gc.collect()
    t = asyncio.create_task(boom())
    await asyncio.sleep(0)
    print('retrieved', repr(t.exception()))
    del t
    gc.collect()
    f = loop.create_future()
    f.set_exception(KeyError('cancel does not help after set'))
    print('cancel ->', f.cancel())
    del f
    gc.collect()
    print('end')


asyncio.run(main())
