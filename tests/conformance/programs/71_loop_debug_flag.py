"""get_debug() is False by default (the runner clears PYTHONASYNCIODEBUG/-X dev); set_debug toggles it; asyncio.run(debug=True) turns it on for that loop.
"""


async def report():
    loop = asyncio.get_running_loop()
    # Debug mode logs callbacks slower than 0.1 s, which depends on the machine's load,
    # not on the behaviour this program pins down.
    loop.slow_callback_duration = 3600
    return loop.get_debug()


loop = asyncio.new_event_loop()
print('default:', loop.get_debug())
loop.set_debug(True)
print('after set_debug(True):', loop.get_debug())
loop.set_debug(False)
print('after set_debug(False):', loop.get_debug())
loop.close()
print('run(debug=True):', asyncio.run(report(), debug=True))
print('run():', asyncio.run(report()))
