from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from refairn.core.instants import bounded_instant

# PostgreSQL stores no NUL character in text or JSON, and no field of ours has a use for one.
NUL = "\x00"
NUL_MESSAGE = "must not contain NUL characters (\\u0000)"


def nul_path(value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """Where ``value`` (a string, or lists and dicts of them, keys included) holds a NUL: the
    path to it (``()`` for ``value`` itself), or None."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = nul_path(key, (*path, str(key)))
            if found is None:
                found = nul_path(item, (*path, str(key)))
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = nul_path(item, (*path, str(index)))
            if found is not None:
                return found
    return None


def refuse_nul(value: Any) -> Any:
    """A pydantic validator: ``value`` unchanged, or an error whose ``ctx["path"]`` says where
    in it the NUL is (the API's 422 appends it to the field's name)."""
    found = nul_path(value)
    if found is None:
        return value
    raise PydanticCustomError("nul_character", NUL_MESSAGE, {"path": list(found)})


# Bodies an endpoint takes as raw JSON, to validate with a domain model (settings, rule sets).
JsonObject = Annotated[dict[str, Any], AfterValidator(refuse_nul)]
JsonObjects = Annotated[list[dict[str, Any]], AfterValidator(refuse_nul)]


def _instant(value: datetime) -> datetime:
    try:
        return bounded_instant(value)
    except ValueError as exc:
        raise PydanticCustomError("instant_out_of_range", str(exc)) from None


# Every date-time a caller sends: with an offset, from 1970 to 2099 (core.instants), in UTC.
Instant = Annotated[datetime, AfterValidator(_instant)]


class StrictIn(Schema):
    """Base for request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return refuse_nul(value)


class ReasonIn(StrictIn):
    """A decision that needs its reason on record (a rejection, a revocation)."""

    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str


class HealthOut(Schema):
    status: str


class ReadyOut(Schema):
    status: str
    checks: dict[str, str]


class ClockIn(StrictIn):
    now: Instant


class ClockOut(Schema):
    now: datetime
    jobs_run: list[str] = []


def _no_float(value: object) -> object:
    # JSON numbers with a fraction arrive as binary floats: 0.1 would already be inexact.
    if isinstance(value, float):
        raise ValueError('send amounts as decimal strings, e.g. "12.50"')
    if isinstance(value, dict):
        return value.get("amount")
    return value


AmountIn = Annotated[
    Decimal,
    BeforeValidator(_no_float),
    Field(ge=0, max_digits=12, decimal_places=2, allow_inf_nan=False),
]


class MoneyOut(Schema):
    amount: str
    currency: str


def money_out(amount: Decimal, currency: str) -> dict[str, str]:
    return {"amount": f"{amount:.2f}", "currency": currency}
