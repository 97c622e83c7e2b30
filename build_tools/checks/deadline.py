"""One deadline for a whole request, which no trickle of bytes can stretch."""

from __future__ import annotations

import contextlib
import socket
import threading
import time


class Deadline:
    """Ends a request at a set time, whatever it is waiting for (connection, TLS handshake, headers
    or body): at that time every socket of the request is shut down, which wakes a blocked read.

    Each socket is watched through a duplicate of its descriptor: the TLS layer takes the original
    over, and shutting down either ends the one connection both name."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.at = seconds, time.monotonic() + seconds
        self.expired = self._closed = False
        self._watched: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                raise TimeoutError
            self._watched.append(sock.dup())

    def _expire(self) -> None:
        with self._lock:
            if self._closed:
                return
            self.expired = True
            for sock in self._watched:
                # One not connected yet cannot be shut down: its connect timeout is the time remaining.
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._closed = True
            for sock in self._watched:
                sock.close()
            self._watched.clear()
