"""docs/events.md and the OpenAPI webhooks section come from the catalogue (no database)."""

from pathlib import Path

from refairn.notifications.domain.catalogue import CATALOGUE
from refairn.webhooks.catalogue_docs import events_markdown, openapi_webhooks

EVENTS_FILE = Path(__file__).resolve().parents[4] / "docs" / "events.md"


def test_committed_events_doc_is_current() -> None:
    """Regenerate with ``scripts/openapi`` (or ``python -m refairn.webhooks.catalogue_docs``)."""
    assert EVENTS_FILE.read_text() == events_markdown()


def test_every_event_type_is_a_webhook_of_the_openapi_document() -> None:
    webhooks, components = openapi_webhooks()
    assert set(webhooks) == {spec.type for spec in CATALOGUE} | {"webhook.test"}
    certified = components["CertificationCertifiedEvent"]
    assert certified["properties"]["type"]["const"] == "certification.certified"
    data = certified["properties"]["data"]
    assert {"business_id", "recipient_ids", "agent_id", "expires_at"} <= set(data["properties"])
    assert {"business_name", "agent_id", "agent_name", "track_name", "renewed"} <= set(
        data["required"]
    )  # every field is always there: the outbox refuses a payload without one
    assert data["additionalProperties"] is False
    assert data["properties"]["expires_at"]["anyOf"][1] == {"type": "null"}
    headers = [p["name"] for p in webhooks["ticket.opened"]["post"]["parameters"]]
    assert headers == ["webhook-id", "webhook-timestamp", "webhook-signature"]
