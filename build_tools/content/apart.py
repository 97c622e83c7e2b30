"""The content checked in a process of its own, for a build, and its result handed back.

Checking a root reads every file, parses it and validates it, and keeps only the records: what it
read and dropped is spread between them, so the records of 25,000 claims end up spread thinly over
twice the memory they need, which the process keeps (a freed gap is reused, not given back). A build
then forks, and every process that reads the records copies each page of memory it reads. Checked
in a forked process of its own, the result comes back pickled and is rebuilt close together: at
4,000 claims 39 MB instead of 80, for the half second pickling costs (measured). The check's own
process ends with everything it read. Only the engine's own result is ever unpickled here: the
process that pickles it is this one, forked.
"""

from __future__ import annotations

import multiprocessing
import pickle
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection

from build_tools.content.dataset import CheckResult


class CheckCrashed(Exception):
    """The check's process ended without a result, or with an exception that could not be sent."""


def check_apart(check: Callable[[], CheckResult]) -> CheckResult:
    """``check()`` run in a forked process, its result (or the exception it raised) as if run here.
    Where processes cannot be forked, ``check()`` runs here."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return check()
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_check_and_send, args=(check, send), daemon=True)
    process.start()
    send.close()
    try:
        payload: bytes | None = receive.recv_bytes()
    except EOFError:
        payload = None
    finally:
        receive.close()
        process.join()
    if payload is None:
        raise CheckCrashed(f"the check's process ended without a result (exit status {process.exitcode})")
    crashed, value = pickle.loads(payload)  # pickled by this process's own fork, above
    if crashed:
        raise value
    if not isinstance(value, CheckResult):
        raise CheckCrashed(f"the check's process sent {type(value).__name__}, not a result")
    return value


def _check_and_send(check: Callable[[], CheckResult], send: Connection) -> None:
    try:
        outcome: tuple[bool, object] = (False, check())
    except Exception as exc:  # raised again by the caller, as if the check had run there
        outcome = (True, exc)
    try:
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an exception that cannot be pickled: what it said
        payload = pickle.dumps((True, CheckCrashed(traceback.format_exc().strip().splitlines()[-1])))
    send.send_bytes(payload)
    send.close()
