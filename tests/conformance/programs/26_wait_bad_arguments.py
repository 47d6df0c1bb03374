"""asyncio.wait argument errors: empty set -> ValueError, bad return_when -> ValueError, a lone future/coroutine -> TypeError, with their messages.
"""


async def main():
    loop = asyncio.get_running_loop()
    for label, args, kwargs in [
        ('empty set', (set(),), {}),
        ('empty list', ([],), {}),
        ('bad return_when', ([loop.create_future()],), {'return_when': 'SOMETIMES'}),
        ('a lone future', (loop.create_future(),), {}),
    ]:
        try:
            await asyncio.wait(*args, **kwargs)
        except (ValueError, TypeError) as e:
            print(label, '->', type(e).__name__ + ':', e)


asyncio.run(main())
