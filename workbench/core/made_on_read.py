"""A sequence whose items are made when they are read, from compact storage (typed arrays,
indexes into other data), so that hundreds of thousands of them cost no objects until used."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class MadeOnRead(Sequence[T]):
    """Subclasses say how many items there are (`__len__`) and how to make one (`_make`);
    indexing, slices (a list of made items) and iteration come from here."""

    __slots__ = ()

    @abstractmethod
    def _make(self, index: int) -> T:
        """The item at `index` (negative counts from the end, as for a list); IndexError
        past the end, which also ends iteration."""

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(len(self)))]
        return self._make(index)
