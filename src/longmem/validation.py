"""Input checks shared by every write path: they run before anything touches the store."""

from __future__ import annotations

from datetime import UTC, datetime

from longmem.errors import ContentTooLargeError, ValidationError
from longmem.models import MemoryType

MAX_ID_CHARS = 256


def user_id(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("must be a non-empty string", field="user_id")
    if len(value) > MAX_ID_CHARS:
        raise ValidationError(f"longer than {MAX_ID_CHARS} characters", field="user_id")
    if not value.isprintable():
        # a carriage return or an escape in an id forges log lines and terminal output
        raise ValidationError("must be printable characters only", field="user_id")
    return value


def content(value: str, max_chars: int, field: str = "content") -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("must not be empty or whitespace", field=field)
    if len(value) > max_chars:
        raise ContentTooLargeError(
            f"{len(value)} characters, more than the limit of {max_chars} (MAX_CONTENT_CHARS)",
            field=field,
        )
    return value.strip()


def memory_type(value: str | MemoryType) -> MemoryType:
    try:
        return MemoryType(value)
    except ValueError:
        allowed = ", ".join(t.value for t in MemoryType)
        raise ValidationError(
            f"unknown type {value!r}; expected one of {allowed}", field="type"
        ) from None


def confidence(value: float) -> float:
    if not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
        raise ValidationError(f"{value!r} is outside [0, 1]", field="confidence")
    return float(value)


def turn(value: int | None, field: str = "turn_number") -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"{value!r} is not a non-negative integer", field=field)
    return value


def top_k(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 200:
        raise ValidationError(f"{value!r} is not between 1 and 200", field="top_k")
    return value


def relevance(value: float | None) -> float:
    """A `min_relevance`: None is no minimum."""
    if value is None:
        return 0.0
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0.0 <= float(value) <= 1.0
    ):
        raise ValidationError(f"{value!r} is outside [0, 1]", field="min_relevance")
    return float(value)


def timestamp(value: datetime | None) -> datetime | None:
    """A naive datetime (what `datetime.strptime` returns) is taken as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
