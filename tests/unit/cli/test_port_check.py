"""``kuznia start`` checks its port before the long set-up: refused only where the server
could not listen."""

import socket
from collections.abc import Iterator

import pytest

from kuznia.cli.start_command import _check_port_free
from kuznia.errors import KuzniaError


@pytest.fixture
def listening() -> Iterator[int]:
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_a_port_another_server_listens_on_is_refused_naming_the_way_out(listening: int) -> None:
    with pytest.raises(KuzniaError, match=f"cannot listen on 127.0.0.1:{listening}.*--port"):
        _check_port_free("127.0.0.1", listening)


def test_a_port_a_stopped_server_left_connections_on_is_free() -> None:
    """What a browser leaves when the server is stopped: the server closed the connection first,
    so its side waits in TIME_WAIT on the port. The server (uvicorn, ``SO_REUSEADDR``) can listen
    there again at once, so the check lets it."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = server.accept()
        accepted.close()  # the server's side closes first: it waits in TIME_WAIT
        assert client.recv(1) == b""
        client.close()
    with socket.socket() as plain, pytest.raises(OSError):
        plain.bind(("127.0.0.1", port))  # the state the check used to refuse
    _check_port_free("127.0.0.1", port)
