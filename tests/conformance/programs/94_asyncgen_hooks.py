"""The loop installs async-generator hooks only while it runs and restores the previous ones afterwards; shutdown_asyncgens closes the generators it saw.
"""
import sys

kept = []


async def gen(name):
    try:
        yield 1
        yield 2
    finally:
        print(name, 'closed')


async def main():
    hooks = sys.get_asyncgen_hooks()
    print('inside: firstiter set', hooks.firstiter is not None, 'finalizer set', hooks.finalizer is not None)
    g = gen('g1')
    kept.append(g)
    await g.__anext__()


print('before: hooks', sys.get_asyncgen_hooks())
loop = asyncio.new_event_loop()
loop.run_until_complete(main())
print('after run_until_complete: hooks', sys.get_asyncgen_hooks())
print('shutting down asyncgens')
loop.run_until_complete(loop.shutdown_asyncgens())
print('again (nothing left):')
loop.run_until_complete(loop.shutdown_asyncgens())
loop.close()
