"""Nested timeouts with the same deadline: only the inner one raises TimeoutError; the outer then sees it as a plain error."""
async def main():
    loop = asyncio.get_running_loop()
    when = loop.time() + 0.01
    t = asyncio.current_task()
    try:
        async with asyncio.timeout_at(when) as outer:
            try:
                async with asyncio.timeout_at(when) as inner:
                    await asyncio.sleep(1)
            except TimeoutError:
                print('inner TimeoutError', inner.expired(), outer.expired(), t.cancelling())
                await asyncio.sleep(0)
                print('still running after inner', t.cancelling())
                raise
    except TimeoutError as e:
        print('outer got TimeoutError', outer.expired(), repr(e.__cause__), t.cancelling())
    print(repr(inner), repr(outer))

asyncio.run(main())
