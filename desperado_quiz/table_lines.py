"""The line of a table's header and of each of its keys, as the loader keeps them for
a bank's findings. (Apart from the scanner in ``toml_lines``, whose patterns cost a
start from the cache more than the rest of it.)"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["TableLines"]


class TableLines:
    """The line of a table's header, and of each of its keys.

    The keys of a table may be worked out only when first asked for (``find``): most
    tables of a clean file are never asked, and a walk over every line of every file
    cost a fifth of the parse.
    """

    __slots__ = ("_find", "_keys", "line")

    def __init__(
        self,
        line: int,
        keys: dict[str, int] | None = None,
        find: Callable[[], dict[str, int]] | None = None,
    ) -> None:
        self.line = line
        self._keys = keys if keys is not None or find is not None else {}
        self._find = find

    @property
    def keys(self) -> dict[str, int]:
        if self._keys is None:
            assert self._find is not None
            self._keys, self._find = self._find(), None
        return self._keys

    def of(self, key: str | None) -> int:
        """The line of ``key``, or of the table header when the key is absent."""
        return self.keys.get(key, self.line) if key else self.line

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TableLines):
            return NotImplemented
        return (self.line, self.keys) == (other.line, other.keys)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was

    def __repr__(self) -> str:
        return f"TableLines(line={self.line!r}, keys={self.keys!r})"

    def __reduce__(self) -> tuple[type[TableLines], tuple[int, dict[str, int]]]:
        # The keys are worked out before pickling: ``find`` holds the file's text.
        return TableLines, (self.line, self.keys)
