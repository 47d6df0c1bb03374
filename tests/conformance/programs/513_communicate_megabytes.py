"""communicate() with megabytes both ways: the child echoes 2 MB of stdin to stdout and writes 1 MB to stderr while reading, and nothing deadlocks; the bytes arrive intact.
"""
import sys

CHILD = ("import sys\n"
         "while True:\n"
         "    chunk = sys.stdin.buffer.read1(65536)\n"
         "    if not chunk: break\n"
         "    sys.stdout.buffer.write(chunk)\n"
         "    sys.stderr.buffer.write(b'e' * (len(chunk) // 2))\n")


async def main():
    PIPE = asyncio.subprocess.PIPE
    data = bytes(range(256)) * (2 * 4096)
    proc = await asyncio.create_subprocess_exec(sys.executable, '-c', CHILD, stdin=PIPE,
                                                stdout=PIPE, stderr=PIPE)
    out, err = await asyncio.wait_for(proc.communicate(data), 15)
    print('stdout intact:', out == data, len(out))
    print('stderr:', len(err), set(err))
    print('returncode:', proc.returncode)


asyncio.run(main())
