"""Semaphore(-1) raises ValueError('Semaphore initial value must be >= 0'); BoundedSemaphore.release() above its start value raises ValueError('BoundedSemaphore released too many times') and leaves the value unchanged; BoundedSemaphore's repr.
"""
import re


def r(obj):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(obj))


async def main():
    for cls in (asyncio.Semaphore, asyncio.BoundedSemaphore):
        try:
            cls(-1)
        except ValueError as e:
            print(cls.__name__, 'ValueError:', e)
    bs = asyncio.BoundedSemaphore(2)
    print(r(bs))
    try:
        bs.release()
    except ValueError as e:
        print('ValueError:', e, r(bs))
    async with bs:
        async with bs:
            print(r(bs))
        print(r(bs))
    try:
        async with bs:
            bs.release()     # released inside the block: __aexit__ releases again
    except ValueError as e:
        print('ValueError from __aexit__:', e, r(bs))
    print(isinstance(bs, asyncio.Semaphore), asyncio.Semaphore().locked())


asyncio.run(main())
