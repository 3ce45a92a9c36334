"""A loopback HTTP/1.1 server whose every answer the test writes, byte for byte.

`scripted(answer)` serves on 127.0.0.1 at a free port. Each request (its head and a
Content-Length or chunked body) is kept whole, as received, in `Script.requests`, with the
number of the connection it came on; `answer(request, writer)` then writes what the test
wants (or nothing, or resets), and returns whether to keep reading that connection.
`Script.closed` counts the connections the client closed. Optionally over TLS with a
self-signed certificate for 127.0.0.1 and `upstream.test` (`tls_pair`).
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import socket
import ssl
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

Answer = Callable[["Request", asyncio.StreamWriter], Awaitable[bool]]


@dataclass
class Request:
    raw: bytes
    connection: int

    @property
    def line(self) -> bytes:
        return self.raw.split(b"\r\n", 1)[0]


@dataclass
class Script:
    url: str
    requests: list[Request] = field(default_factory=list)
    connections: int = 0
    closed: int = 0
    client_closed: asyncio.Event = field(default_factory=asyncio.Event)


async def _read_request(reader: asyncio.StreamReader) -> bytes | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    lower = head.lower()
    if b"transfer-encoding: chunked" in lower:
        return head + await reader.readuntil(b"0\r\n\r\n")
    for line in lower.split(b"\r\n"):
        if line.startswith(b"content-length:"):
            return head + await reader.readexactly(int(line.split(b":")[1]))
    return head


def reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset (RST) rather than a FIN."""
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


@asynccontextmanager
async def scripted(answer: Answer, *, tls: ssl.SSLContext | None = None) -> AsyncIterator[Script]:
    script = Script(url="")
    writers: set[asyncio.StreamWriter] = set()
    handlers: set[asyncio.Task[None]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.add(asyncio.current_task())  # type: ignore[arg-type]  # inside a task
        writers.add(writer)
        script.connections += 1
        number = script.connections
        try:
            while not writer.is_closing() and (raw := await _read_request(reader)) is not None:
                request = Request(raw, number)
                script.requests.append(request)
                if not await answer(request, writer):
                    return
                await writer.drain()
            script.closed += 1  # the client closed it
            script.client_closed.set()
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=tls)
    port = server.sockets[0].getsockname()[1]
    script.url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    try:
        yield script
    finally:
        server.close()
        for writer in writers:
            writer.transport.abort()  # each handler then reads the end and returns
        if handlers:
            await asyncio.wait(handlers, timeout=5)
        await server.wait_closed()


def ok(body: bytes = b"ok", *extra: bytes) -> bytes:
    headers = b"".join(h + b"\r\n" for h in extra)
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%b\r\n%b" % (len(body), headers, body)


def answering(*answers: bytes) -> Answer:
    """Answers each request with the next of `answers` (the last one again when done)."""
    queue = list(answers)

    async def answer(request: Request, writer: asyncio.StreamWriter) -> bool:
        writer.write(queue.pop(0) if len(queue) > 1 else queue[0])
        return True

    return answer


def silent_first() -> Answer:
    """Answers nothing to the first request (a server that hangs), `ok()` to the others."""
    seen = 0

    async def answer(request: Request, writer: asyncio.StreamWriter) -> bool:
        nonlocal seen
        seen += 1
        if seen > 1:
            writer.write(ok())
        return True

    return answer


def tls_pair(folder: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a self-signed certificate for 127.0.0.1 and upstream.test,
    and a client context that trusts exactly that certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "upstream.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("upstream.test"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client
