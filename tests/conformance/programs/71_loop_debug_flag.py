"""get_debug() is False by default (the runner clears PYTHONASYNCIODEBUG/-X dev); set_debug toggles it; asyncio.run(debug=True) turns it on for that loop.
"""


async def report():
    return asyncio.get_running_loop().get_debug()


loop = asyncio.new_event_loop()
print('default:', loop.get_debug())
loop.set_debug(True)
print('after set_debug(True):', loop.get_debug())
loop.set_debug(False)
print('after set_debug(False):', loop.get_debug())
loop.close()
print('run(debug=True):', asyncio.run(report(), debug=True))
print('run():', asyncio.run(report()))
