"""Rating scales. The default is GUIDE section 4; a team can configure its own."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.errors import ValidationError


@dataclass(frozen=True, slots=True)
class Rating:
    name: str
    label: str
    value: int | None  # None: outside the numeric scale (exported with alternateName only)


@dataclass(frozen=True)
class RatingScale:
    ratings: tuple[Rating, ...]

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.ratings]

    @property
    def best(self) -> int:
        return max((r.value for r in self.ratings if r.value is not None), default=1)

    @property
    def worst(self) -> int:
        return min((r.value for r in self.ratings if r.value is not None), default=1)

    def get(self, name: str) -> Rating:
        wanted = name.strip().lower()
        for rating in self.ratings:
            if rating.name == wanted:
                return rating
        raise ValidationError(f"unknown rating {name!r}; valid ratings: {', '.join(self.names)}")

    @classmethod
    def from_config(cls, entries: Iterable[Mapping[str, object]]) -> RatingScale:
        """Builds a scale from config entries like {name = "true", label = "True", value = 5}."""
        ratings: list[Rating] = []
        for index, entry in enumerate(entries):
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip():
                raise ValidationError(f"ratings[{index}]: 'name' must be a non-empty string")
            value = entry.get("value")
            if value is not None and not isinstance(value, int):
                raise ValidationError(f"ratings[{index}]: 'value' must be a whole number")
            label = entry.get("label", name)
            ratings.append(Rating(name.strip().lower(), str(label), value))
        if not ratings:
            raise ValidationError("ratings: the scale needs at least one rating")
        if len({r.name for r in ratings}) != len(ratings):
            raise ValidationError("ratings: two ratings share a name")
        return cls(tuple(ratings))


DEFAULT_SCALE = RatingScale(
    (
        Rating("true", "True", 5),
        Rating("mostly-true", "Mostly true", 4),
        Rating("mixed", "Mixed", 3),
        Rating("mostly-false", "Mostly false", 2),
        Rating("false", "False", 1),
        Rating("misleading", "Misleading", None),
        Rating("unverifiable", "Unverifiable", None),
    )
)
