"""A progress bar for the long calls a person runs (importing a history), or none."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

Advance = Callable[[int], None]


def _ignore(_: int) -> None:
    return None


def progress(
    enabled: bool, total: int, what: str = "importing turns"
) -> AbstractContextManager[Advance]:
    """A context giving `advance(n)`: a rich bar over `total` when enabled, nothing when not."""
    if not enabled:
        return nullcontext(_ignore)
    return _bar(total, what)


@contextmanager
def _bar(total: int, what: str) -> Iterator[Advance]:
    from rich.progress import Progress  # only a person's import pays for it

    with Progress() as bar:
        task = bar.add_task(what, total=total)
        yield lambda n: bar.advance(task, n)
