from decimal import Decimal

import pytest

from refairn.commissions.domain.proration import prorate
from refairn.commissions.domain.terms import ReferralTerms, SupportTerms


def test_support_terms_need_exactly_one_of_amount_and_percent() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        SupportTerms()
    with pytest.raises(ValueError, match="exactly one"):
        SupportTerms(monthly_amount=Decimal("20.00"), monthly_percent=Decimal("5"))


def test_support_terms_monthly_base() -> None:
    assert SupportTerms(monthly_amount=Decimal("20.00")).monthly_base(Decimal("999.00")) == 20
    percent = SupportTerms(monthly_percent=Decimal("7.5"))
    assert percent.monthly_base(Decimal("99.99")) == Decimal("7.49925")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"one_off_amount": 50.0}, "not a float"),
        ({"one_off_amount": Decimal("50.005")}, "more than 2 decimal places"),
        ({"one_off_amount": Decimal("-1.00")}, "must be from 0"),
        ({"one_off_amount": Decimal("10000000000.00")}, "must be from 0"),
        ({"recurring_percent": Decimal("100.01")}, "between 0 and 100"),
        ({"recurring_percent": Decimal("NaN")}, "finite"),
        ({"recurring_percent": Decimal("10"), "recurring_months": 0}, "from 1 to 600"),
        ({"recurring_percent": Decimal("10"), "recurring_months": 601}, "from 1 to 600"),
        ({"recurring_percent": Decimal("10"), "recurring_months": True}, "whole number"),
        ({"recurring_months": 3}, "needs a recurring_percent"),
    ],
)
def test_referral_terms_validation(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ReferralTerms(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"monthly_amount": 20.0}, "not a float"),
        ({"monthly_amount": Decimal("0.001")}, "more than 2 decimal places"),
        ({"monthly_percent": Decimal("-5")}, "between 0 and 100"),
    ],
)
def test_support_terms_validation(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SupportTerms(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("base", "days", "month_days", "expected"),
    [
        ("10.00", 10, 30, "3.33"),
        ("20.00", 20, 30, "13.33"),
        ("10.00", 15, 30, "5.00"),
        ("0.03", 5, 30, "0.01"),  # 0.005 rounds half up
        ("10.00", 31, 31, "10.00"),
        ("10.00", 0, 31, "0.00"),
    ],
)
def test_prorate(base: str, days: int, month_days: int, expected: str) -> None:
    assert str(prorate(Decimal(base), days, month_days)) == expected


def test_prorate_refuses_more_days_than_the_month() -> None:
    with pytest.raises(ValueError):
        prorate(Decimal("10.00"), 31, 30)
