"""Timeout misuse: entered twice, reused after exit, reschedule in each state, repr in each state, expired() and when()."""
async def main():
    loop = asyncio.get_running_loop()
    cm = asyncio.timeout(None)
    print(repr(cm), cm.when(), cm.expired())
    try:
        cm.reschedule(1)
    except RuntimeError as e:
        print('reschedule created:', e)
    async with cm as got:
        print('as is cm:', got is cm, repr(cm))
        cm.reschedule(loop.time() + 1000)
        print(repr(cm).startswith('<Timeout [active] when='))
        try:
            async with cm:
                pass
        except RuntimeError as e:
            print('nested re-enter:', e)
        cm.reschedule(None)
        print(repr(cm))
    print(repr(cm), cm.expired())
    for call in (lambda: cm.reschedule(None), ):
        try:
            call()
        except RuntimeError as e:
            print('reschedule finished:', e)
    try:
        async with cm:
            pass
    except RuntimeError as e:
        print('reuse:', e)
    cm2 = asyncio.timeout(0)
    try:
        async with cm2:
            await asyncio.sleep(1)
    except TimeoutError as e:
        print('expired:', repr(cm2), cm2.expired(), type(e.__cause__).__name__, e.args)
    try:
        cm2.reschedule(5)
    except RuntimeError as e:
        print('reschedule expired:', e)
    try:
        async with cm2:
            pass
    except RuntimeError as e:
        print('reuse expired:', e)

asyncio.run(main())
