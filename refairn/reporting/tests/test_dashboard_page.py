"""The dashboard page: every block as HTML with its charts' figures, the as_of picker, the
overdue trend and ratings, and the text and CSV exports (PRODUCT.md §8)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.core import clock
from refairn.demo.benchmark.records import Records
from refairn.programs.models import Business, Customer
from refairn.reporting.tests.seed_program import SeedProgram, seed_program
from refairn.reporting.views import weekly_counts
from refairn.support.models import OverdueFlag, Rating, Ticket
from tests.support import T0, make_staff

pytestmark = pytest.mark.django_db

SEED_DAY = "2026-01-20"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def seeded(business_a: Business) -> SeedProgram:
    return seed_program(business_a)


def url(business: Business, rest: str = "dashboard/") -> str:
    return f"/b/{business.id}/{rest}"


def test_the_dashboard_shows_the_seeds_figures_and_charts(alice: User, seeded: SeedProgram) -> None:
    response = client_for(alice).get(url(seeded.business), {"as_of": SEED_DAY})
    assert response.status_code == 200
    completion = response.context["charts"]["completion"]
    assert completion["labels"][2] == "Advanced Troubleshooting"
    assert (completion["completed"][2], completion["targets"][2]) == (66.7, 80.0)
    body = response.content.decode()
    for heading in (
        "Certification overview",
        "Completion by track",
        "Agent certification status",
        "Certification-based routing impact",
        "Renewal tracking",
        "SLA overdue trend",
        "Ratings",
        "Assessment analytics",
        "Recognition",
        "Cost analysis",
    ):
        assert heading in body
    assert "642%" in body and "Sarah M." in body and "API rate limit retry logic" in body
    assert 'id="dashboard-charts"' in body
    assert "vendor/chartjs/chart.umd.min.js" in body
    assert "?as_of=2026-01-20" in body  # the exports follow the chosen day


def test_the_overdue_trend_and_ratings(alice: User, business_a: Business) -> None:
    customer = Customer.objects.create(
        business=business_a, name="C", monthly_value=10, subscribed_at=T0 - timedelta(days=200)
    )
    for days_ago, score in ((2, 5), (3, 4), (20, 5), (100, 1)):
        at = T0 - timedelta(days=days_ago)
        ticket = Ticket.objects.create(
            business=business_a,
            customer=customer,
            subject="s",
            body="b",
            created_at=at,
            first_response_due_at=at,
            resolution_due_at=at,
        )
        OverdueFlag.objects.create(business=business_a, ticket=ticket, kind="resolution", at=at)
        Rating.objects.create(
            business=business_a,
            ticket=ticket,
            customer=customer,
            responsiveness=score,
            product_knowledge=score,
            professionalism=score,
            overall=score,
            created_at=at,
        )
    response = client_for(alice).get(url(business_a))
    flags = response.context["charts"]["trend"]["flags"]
    assert len(flags) == 12
    assert (flags[-1], flags[-3], sum(flags)) == (2, 1, 3)  # 100 days ago is outside 12 weeks
    assert response.context["charts"]["ratings"]["counts"] == [1, 0, 0, 1, 2]
    assert response.context["ratings"]["averages"][3] == ("Overall", 3.75)


def test_weekly_counts_edges() -> None:
    as_of = datetime(2026, 3, 31, 12, tzinfo=UTC)
    times = [as_of, as_of - timedelta(days=7), as_of - timedelta(days=84), as_of + timedelta(1)]
    counts = weekly_counts(times, as_of)
    assert counts[0][0].isoformat() == "2026-01-06"
    # The window holds (start, end]: as_of itself counts, 84 days back is outside.
    assert [n for _, n in counts] == [0] * 10 + [1, 1]


def test_a_future_day_is_refused_at_the_picker(alice: User, business_a: Business) -> None:
    response = client_for(alice).get(url(business_a), {"as_of": "2027-01-01"})
    assert response.status_code == 422
    assert "future" in response.context["form"].errors["as_of"][0]
    assert client_for(alice).get(url(business_a), {"as_of": "soon"}).status_code == 422


def test_today_means_now(alice: User, business_a: Business) -> None:
    response = client_for(alice).get(url(business_a), {"as_of": T0.date().isoformat()})
    assert response.status_code == 200
    assert response.context["report"].as_of == clock.now()


def test_the_text_and_csv_exports(alice: User, seeded: SeedProgram) -> None:
    client = client_for(alice)
    text = client.get(url(seeded.business, "dashboard.txt"), {"as_of": SEED_DAY})
    assert text["Content-Type"].startswith("text/plain")
    assert "AGENT CERTIFICATION DASHBOARD" in text.content.decode()
    table = client.get(url(seeded.business, "dashboard/completion_by_track.csv"))
    assert table["Content-Type"].startswith("text/csv")
    assert "Advanced Troubleshooting" in table.content.decode()
    assert client.get(url(seeded.business, "dashboard/secrets.csv")).status_code == 404
    quarterly = client.get(url(seeded.business, "quarterly.txt"))
    assert quarterly.status_code == 200
    bad = client.get(url(seeded.business, "quarterly.txt"), {"quarter": "2026-Q9"})
    assert bad.status_code == 422


def test_agents_and_other_tenants_are_kept_out(
    bob: User, charlie: User, business_a: Business, business_b: Business
) -> None:
    for path in ("dashboard/", "dashboard.txt", "dashboard/renewals.csv", "quarterly.txt"):
        assert client_for(bob).get(url(business_a, path)).status_code == 403
        assert client_for(charlie).get(url(business_a, path)).status_code == 404


def test_completion_wording_never_contradicts_its_status(alice: User, seeded: SeedProgram) -> None:
    """Issue 12 item 10: a track above its target has no agents "to go"; one below says how
    many more certified agents meet the target."""
    response = client_for(alice).get(url(seeded.business), {"as_of": SEED_DAY})
    rows = {r["name"]: r for r in response.context["d"]["completion"]}
    short = rows["Advanced Troubleshooting"]
    assert short["status"] == "below_target"
    whole, part = short["completed"]["whole"], short["completed"]["part"]
    assert short["to_target"] == -(-80 * whole // 100) - part
    body = response.content.decode()
    assert f"({short['to_target']} more to reach the target)" in body
    assert "to go)" not in body
    for row in rows.values():
        if row["status"] in ("above_target", "met"):
            assert row["to_target"] is None


def test_matrix_names_link_to_the_agent_in_words(alice: User, seeded: SeedProgram) -> None:
    response = client_for(alice).get(url(seeded.business), {"as_of": SEED_DAY})
    body = response.content.decode()
    first = response.context["matrix"][0]
    assert f'href="/b/{seeded.business.id}/agents/{first["agent_id"]}/">{first["name"]}</a>' in body
    assert "not_certified" not in body


def test_every_difficult_question_is_listed_a_page_at_a_time(
    alice: User, seeded: SeedProgram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12 item 10: the dashboard shows the hardest few; its link lists them all. The seed
    has one difficult question: seven copies of it make three pages of three."""
    from refairn.reporting import quarterly_views

    real = quarterly_views.assessment_analytics_get_for

    def seven(actor: Any, **kw: Any) -> Any:
        report = real(actor, **kw)
        (hard,) = report.summary.difficult_questions
        many = tuple(replace(hard, question_id=f"q{i}", prompt=f"Hard {i}") for i in range(7))
        summary = replace(report.summary, difficult_questions=many, difficult_total=7)
        return replace(report, summary=summary)

    monkeypatch.setattr(quarterly_views, "assessment_analytics_get_for", seven)
    monkeypatch.setattr(quarterly_views, "DIFFICULT_PAGE", 3)
    client = client_for(alice)
    path = url(seeded.business, "dashboard/difficult-questions/")
    first = client.get(path, {"as_of": SEED_DAY})
    assert first.status_code == 200
    assert [q.prompt for q in first.context["page"].object_list] == ["Hard 0", "Hard 1", "Hard 2"]
    assert f'href="?as_of={SEED_DAY}&amp;page=2"' in first.content.decode()
    last = client.get(path, {"as_of": SEED_DAY, "page": "3"})
    assert [q.prompt for q in last.context["page"].object_list] == ["Hard 6"]
    # A page number that is not one shows a page, never an error.
    assert client.get(path, {"page": "x"}).status_code == 200


def test_the_difficult_questions_page_lists_the_seeds_hardest(
    alice: User, seeded: SeedProgram
) -> None:
    response = client_for(alice).get(url(seeded.business, "dashboard/difficult-questions/"))
    assert response.status_code == 200
    assert "API rate limit retry logic" in response.content.decode()


def test_the_difficult_questions_are_staff_only(bob: User, business_a: Business) -> None:
    response = client_for(bob).get(url(business_a, "dashboard/difficult-questions/"))
    assert response.status_code == 403


def test_the_dashboards_rows_add_up_to_its_totals(alice: User, seeded: SeedProgram) -> None:
    """Issue 12 item 10: every table whose rows share a total adds up to it, on the page and in
    the figures behind it (tickets with no matching rule were counted twice before)."""
    customer = Customer.objects.get(business=seeded.business, name="Globex")
    opened = datetime(2026, 1, 10, tzinfo=UTC)
    records = Records(seeded.business)
    for minute in range(2):
        records.ticket(customer, created_at=opened + timedelta(minutes=minute), resolved_at=opened)
    records.flush()
    response = client_for(alice).get(url(seeded.business), {"as_of": SEED_DAY})
    d = response.context["d"]
    o = d["overview"]
    parts = ("fully_certified", "partially_certified", "not_yet_certified")
    assert sum(o[key]["part"] for key in parts) == o["active_agents"]
    assert sum(row["completed"]["part"] for row in d["completion"]) == o["certifications_held"]
    assert sum(row["certified"] for row in response.context["matrix"]) == o["certifications_held"]
    r = d["routing"]
    assert (r["certified"]["tickets"], r["fallback"]["tickets"], r["unmatched"]["tickets"]) == (
        100,
        3,
        2,
    )
    assert (
        r["certified"]["tickets"] + r["fallback"]["tickets"] + r["unmatched"]["tickets"]
        == (r["tickets"])
    )
    rn = d["renewals"]
    assert sum(t["expiring_this_quarter"] for t in rn["tracks"]) == rn["expiring_this_quarter"]
    assert sum(t["completed"] for t in rn["tracks"]) == rn["completed"]["part"]
    assert sum(t["pending"] for t in rn["tracks"]) == rn["pending"]["part"]
    assert sum(t["overdue"] for t in rn["tracks"]) == rn["overdue_certifications"] == o["expired"]
    assert (
        sum(n for _, n in response.context["ratings"]["distribution"])
        == (response.context["ratings"]["count"])
    )
    body = response.content.decode()
    assert '<th scope="row">By a rule\'s fallback</th><td>3</td>' in body
    assert '<th scope="row">No rule matched</th><td>2</td>' in body
    assert '<th scope="row">All routed tickets</th><td>105</td>' in body
    assert "Fallback / not certified" not in body


def in_zone(user: User, zone: str) -> User:
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    return user


def test_new_york_and_berlin_read_the_dashboards_time_at_their_own_hours(
    alice: User, business_a: Business
) -> None:
    """Issue 12 item 7: the same "as of" instant, each viewer in their zone."""
    manager = make_staff(business_a, "mia@a.test", "manager")
    new_york = client_for(in_zone(alice, "America/New_York")).get(url(business_a))
    berlin = client_for(in_zone(manager, "Europe/Berlin")).get(url(business_a))
    assert "as of Mon 2 Nov 2026, 04:00 EST" in new_york.content.decode()
    assert "as of Mon 2 Nov 2026, 10:00 CET" in berlin.content.decode()
    assert "end of that day in your time zone (America/New_York)" in new_york.content.decode()


def test_as_of_is_the_end_of_the_day_in_the_viewers_zone(alice: User, business_a: Business) -> None:
    """A rating given at 23:30 in New York on 31 October (03:30 UTC on 1 November) is inside
    New York's 31 October and outside Berlin's and UTC's."""
    customer = Customer.objects.create(
        business=business_a, name="C", monthly_value=10, subscribed_at=T0 - timedelta(days=200)
    )
    late = datetime(2026, 11, 1, 3, 30, tzinfo=UTC)
    ticket = Ticket.objects.create(
        business=business_a,
        customer=customer,
        subject="s",
        body="b",
        created_at=late,
        first_response_due_at=late,
        resolution_due_at=late,
    )
    Rating.objects.create(
        business=business_a,
        ticket=ticket,
        customer=customer,
        responsiveness=5,
        product_knowledge=5,
        professionalism=5,
        overall=5,
        created_at=late,
    )
    day = {"as_of": "2026-10-31"}
    response = client_for(in_zone(alice, "America/New_York")).get(url(business_a), day)
    # Daylight saving time still runs in New York on 31 October (UTC-4).
    assert response.context["report"].as_of == datetime(2026, 11, 1, 3, 59, 59, 999999, tzinfo=UTC)
    assert response.context["charts"]["ratings"]["counts"] == [0, 0, 0, 0, 1]
    assert "as of Sat 31 Oct 2026, 23:59 EDT" in response.content.decode()
    csv = client_for(alice).get(url(business_a, "dashboard/renewals.csv"), day)
    assert 'filename="renewals-2026-10-31.csv"' in csv["Content-Disposition"]
    for zone in ("Europe/Berlin", "UTC"):
        response = client_for(in_zone(alice, zone)).get(url(business_a), day)
        assert response.context["charts"]["ratings"]["counts"] == [0, 0, 0, 0, 0]
    # The viewer's today is "now", even while UTC has moved on to tomorrow.
    with clock.frozen(datetime(2026, 11, 3, 3, 0, tzinfo=UTC)):
        response = client_for(in_zone(alice, "America/New_York")).get(
            url(business_a), {"as_of": "2026-11-02"}
        )
        assert response.context["report"].as_of == clock.now()
