"""loop.getaddrinfo returns what socket.getaddrinfo returns (numeric hosts, type filters, a port as a string), and loop.getnameinfo with numeric flags.
"""
import socket


async def main():
    loop = asyncio.get_running_loop()
    for args, kw in [
        (('127.0.0.1', 80), {}),
        (('127.0.0.1', 80), {'type': socket.SOCK_STREAM}),
        (('127.0.0.1', '8080'), {'family': socket.AF_INET, 'type': socket.SOCK_STREAM}),
        ((None, 0), {'family': socket.AF_INET, 'type': socket.SOCK_STREAM, 'flags': socket.AI_PASSIVE}),
        (('::1', 9), {'type': socket.SOCK_STREAM}),
    ]:
        got = await loop.getaddrinfo(*args, **kw)
        want = socket.getaddrinfo(*args, kw.get('family', 0), kw.get('type', 0), 0, kw.get('flags', 0))
        print(args, kw, '->', [(int(f), int(t), p, c, a) for f, t, p, c, a in got], got == want)
    print(await loop.getnameinfo(('127.0.0.1', 80), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV))
    try:
        await loop.getaddrinfo('127.0.0.1', 'no-such-service-xyz', type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        print('gaierror', exc.errno)


asyncio.run(main())
