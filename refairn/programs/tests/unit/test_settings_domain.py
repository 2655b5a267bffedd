import pytest

from refairn.programs.domain import currency_code, merge_patch


def test_merge_keeps_siblings_and_replaces_the_named_choices() -> None:
    merged = merge_patch(
        {
            "sla": {"first_response_hours": 24, "resolution_hours": 72},
            "support_terms": {"monthly_amount": "20.00"},
        },
        {"sla": {"first_response_hours": 8}, "support_terms": {"monthly_percent": "5"}},
        replaced_whole=frozenset({"support_terms"}),
    )
    assert merged == {
        "sla": {"first_response_hours": 8, "resolution_hours": 72},
        "support_terms": {"monthly_percent": "5"},
    }


def test_only_top_level_keys_are_replaced_whole() -> None:
    merged = merge_patch(
        {"a": {"support_terms": {"x": 1, "y": 2}}},
        {"a": {"support_terms": {"x": 3}}},
        replaced_whole=frozenset({"support_terms"}),
    )
    assert merged == {"a": {"support_terms": {"x": 3, "y": 2}}}


@pytest.mark.parametrize(("given", "code"), [("usd", "USD"), (" EUR ", "EUR"), ("JPY", "JPY")])
def test_currencies_are_iso_4217_codes(given: str, code: str) -> None:
    assert currency_code(given) == code


@pytest.mark.parametrize("given", ["dollars", "XYZ", "US", "DEM", ""])
def test_anything_else_is_refused(given: str) -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        currency_code(given)
