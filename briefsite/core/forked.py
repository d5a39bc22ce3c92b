"""Work done in a forked copy of this process while this one goes on: the build owns both
cores. The copy has the same library, templates and state, so what it makes is what this
process would have made; a problem it meets is raised here, as if met here.

Used by render (every other page), the version pages and the searchable copy for Pagefind.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from .errors import BriefError

T = TypeVar("T")
U = TypeVar("U")

CAN_FORK = "fork" in multiprocessing.get_all_start_methods()  # not on Windows


class Forked(Generic[T]):
    """`work()` running in a forked copy of this process; `result()` waits for what it returned.

    `what` names the work in the error raised when the copy fails other than with a
    BriefError (a bug, or the copy killed): "<what> failed: <its traceback>"."""

    def __init__(self, work: Callable[[], T], what: str):
        self.what = what
        context = multiprocessing.get_context("fork")
        self._reader, writer = context.Pipe(duplex=False)

        def run() -> None:
            message: tuple[Any, ...]
            try:
                message = ("done", work())
            except BriefError as exc:
                message = ("problems", type(exc), exc.problems)
            except BaseException:  # noqa: BLE001 - a bug: its traceback, for the error raised here
                message = ("crash", traceback.format_exc())
            writer.send(message)
            writer.close()

        self._process = context.Process(target=run, name=what, daemon=True)
        self._process.start()
        writer.close()

    def result(self, timeout: float | None = None) -> T:
        """What `work` returned; its BriefError raised here; RuntimeError if it crashed, ended
        without an answer, or gave none within `timeout` seconds."""
        try:
            if timeout is not None and not self._reader.poll(timeout):
                self.stop()
                raise RuntimeError(f"{self.what} failed: no answer within {timeout:.0f} s")
            message = self._reader.recv()
        except EOFError:
            self._process.join()
            message = ("crash", f"it ended (exit code {self._process.exitcode}) without an answer")
        finally:
            self._process.join()
            self._reader.close()
        if message[0] == "problems":
            raise message[1](message[2])
        if message[0] == "crash":
            raise RuntimeError(f"{self.what} failed:\n{message[1]}")
        return message[1]  # type: ignore[no-any-return]

    def stop(self) -> None:
        """End the copy, if it still runs (this process is giving up on it)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def side_by_side(here: Callable[[], T], there: Callable[[], U], what: str,
                 timeout: float | None = None) -> tuple[T, U]:
    """`there` in a forked copy while `here` runs in this process: both results. Should
    `here` fail, the copy is stopped and the failure raised."""
    helper = Forked(there, what)
    try:
        mine = here()
    except BaseException:
        helper.stop()
        raise
    return mine, helper.result(timeout)
