"""Each task runs in its own copy of the creator's context: values set in one task are not seen by another task or by the creator.
"""
import contextvars

request = contextvars.ContextVar('request', default='none')


async def worker(name, value):
    print(name, 'starts with', request.get())
    request.set(value)
    await asyncio.sleep(0)
    print(name, 'after sleep sees', request.get())
    return request.get()


async def main():
    request.set('main-value')
    t1 = asyncio.create_task(worker('w1', 'one'))
    request.set('changed-after-t1')
    t2 = asyncio.create_task(worker('w2', 'two'))
    print('gather:', await asyncio.gather(t1, t2))
    print('main sees', request.get())


asyncio.run(main())
print('outside run sees', request.get())
