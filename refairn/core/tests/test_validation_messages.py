"""Validation messages read as the rule, without pydantic's "Value error, " prefix."""

from __future__ import annotations

import pydantic
import pytest

from refairn.core.errors import pydantic_fields


class Window(pydantic.BaseModel):
    start: int

    @pydantic.field_validator("start")
    @classmethod
    def _in_a_day(cls, value: int) -> int:
        if not 0 <= value < 24:
            raise ValueError("must be an hour of the day (0-23)")
        return value


def test_a_validators_message_comes_without_the_prefix() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        Window(start=25)
    assert pydantic_fields(caught.value, prefix="sla.") == {
        "sla.start": "must be an hour of the day (0-23)"
    }


def test_pydantics_own_messages_are_kept() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        Window(start="soon")  # type: ignore[arg-type]
    assert pydantic_fields(caught.value) == {
        "start": "Input should be a valid integer, unable to parse string as an integer"
    }
