"""Reprs of Process, its subprocess transport, pipe transports and SubprocessStreamProtocol, running and after exit (pids and fd numbers normalized).
"""
import re
import sys


def norm(text, proc):
    text = text.replace(str(proc.pid), 'PID')
    return re.sub(r'fd=\d+', 'fd=N', text)


async def main():
    PIPE = asyncio.subprocess.PIPE
    proc = await asyncio.create_subprocess_exec(sys.executable, '-c', 'import sys; sys.stdin.read()',
                                                stdin=PIPE, stdout=PIPE, stderr=PIPE)
    print(norm(repr(proc), proc))
    print(norm(repr(proc._transport), proc))
    print(norm(repr(proc._protocol), proc))
    stdin_transport = proc.stdin.transport
    proc.stdin.close()
    print(norm(repr(stdin_transport), proc))
    await proc.wait()
    print(norm(repr(proc._transport), proc))
    print(norm(repr(stdin_transport), proc))
    print(norm(repr(proc._transport.get_pipe_transport(1)), proc))
    proc = await asyncio.create_subprocess_exec(sys.executable, '-c', 'pass', stdout=PIPE,
                                                stderr=asyncio.subprocess.STDOUT)
    print(norm(repr(proc._transport), proc))
    await proc.communicate()


asyncio.run(main())
