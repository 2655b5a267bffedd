"""The event catalogue as documents: the OpenAPI document's ``webhooks`` section and
``docs/events.md``, both generated from ``notifications.domain.catalogue`` so neither can
drift from what is sent (tests compare the committed files).

Regenerate docs/events.md with ``python -m refairn.webhooks.catalogue_docs > docs/events.md``
(``scripts/openapi`` does it too). Pure: no Django needed.
"""

from __future__ import annotations

from typing import Any

from refairn.notifications.domain.catalogue import (
    CATALOGUE,
    COMMON_FIELDS,
    FAMILY_LABELS,
    FIELD_TYPES,
    EventSpec,
    Family,
    Field,
)
from refairn.webhooks.domain import FIRST_RETRY, MAX_RETRY_GAP, RETRY_WINDOW

PING = EventSpec(
    "webhook.test",
    Family.PROGRAM,
    "the endpoint only",
    "A test delivery (POST /businesses/{b}/webhooks/{w}/test); never subscribed to.",
    (Field("webhook_endpoint_id", "id", "The endpoint pinged."),),
)
PING_COMMON = ("business_id", "text", "url")

SIGNATURE_HEADERS: list[dict[str, Any]] = [
    {
        "name": "webhook-id",
        "in": "header",
        "required": True,
        "description": "The delivery's id (msg_...): the same on every retry of it; "
        "deduplicate on it.",
        "schema": {"type": "string"},
    },
    {
        "name": "webhook-timestamp",
        "in": "header",
        "required": True,
        "description": "When this attempt was sent, in seconds since the epoch.",
        "schema": {"type": "string"},
    },
    {
        "name": "webhook-signature",
        "in": "header",
        "required": True,
        "description": "Space-separated `v1,<base64 HMAC-SHA256 of id.timestamp.body>`, one per "
        "secret in use (two during the day after a rotation).",
        "schema": {"type": "string"},
    },
]

RETRIES = (
    "Any answer other than 2xx, or none within 10 seconds, is retried under the same "
    f"webhook-id: after {int(FIRST_RETRY.total_seconds() // 60)} minute, then doubling up to "
    f"every {int(MAX_RETRY_GAP.total_seconds() // 3600)} hours, for {RETRY_WINDOW.days} day; "
    "then the delivery is dead and can be redelivered from the delivery log. Redirects are "
    "not followed."
)


def _component_name(event_type: str) -> str:
    words = event_type.replace(".", "_").split("_")
    return "".join(w.capitalize() for w in words) + "Event"


def _field_schema(field: Field) -> dict[str, Any]:
    if field.nullable:
        return {
            "anyOf": [FIELD_TYPES[field.type], {"type": "null"}],
            "description": field.description,
        }
    return {**FIELD_TYPES[field.type], "description": field.description}


def _event_schema(
    spec: EventSpec, common: tuple[Field, ...], required: list[str]
) -> dict[str, Any]:
    fields = [*common, *spec.fields]
    return {
        "type": "object",
        "title": _component_name(spec.type),
        "description": spec.summary,
        "required": ["type", "timestamp", "data"],
        "properties": {
            "type": {"type": "string", "const": spec.type},
            "timestamp": {
                "type": "string",
                "format": "date-time",
                "description": "When the event happened (the platform's clock).",
            },
            "data": {
                "type": "object",
                "required": required,
                "additionalProperties": False,
                "properties": {f.name: _field_schema(f) for f in fields},
            },
        },
    }


def _specs() -> list[tuple[EventSpec, tuple[Field, ...], list[str]]]:
    common_names = [f.name for f in COMMON_FIELDS]
    ping_common = tuple(f for f in COMMON_FIELDS if f.name in PING_COMMON)
    return [
        (spec, COMMON_FIELDS, [*common_names, *(f.name for f in spec.fields)]) for spec in CATALOGUE
    ] + [(PING, ping_common, [*PING_COMMON, "webhook_endpoint_id"])]


def openapi_webhooks() -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``webhooks`` section (one POST per event type) and the component schemas it uses."""
    webhooks: dict[str, Any] = {}
    components: dict[str, Any] = {}
    for spec, common, required in _specs():
        name = _component_name(spec.type)
        components[name] = _event_schema(spec, common, required)
        webhooks[spec.type] = {
            "post": {
                "operationId": f"webhook_{spec.type.replace('.', '_')}",
                "summary": spec.summary,
                "description": (
                    f"Family: {spec.family.value}. Told in the app: {spec.audience}. Signed per "
                    f"Standard Webhooks (https://www.standardwebhooks.com). {RETRIES}"
                ),
                "tags": ["webhooks"],
                "parameters": SIGNATURE_HEADERS,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                    },
                },
                "responses": {"2XX": {"description": "Received."}},
            }
        }
    return webhooks, components


def _field_rows(fields: tuple[Field, ...]) -> list[str]:
    return [
        f"| `{f.name}` | {f.type}{' or null' if f.nullable else ''} | {f.description} |"
        for f in fields
    ]


def events_markdown() -> str:
    lines = [
        "# Events: what Refairn tells people, and what webhooks receive",
        "",
        "<!-- Generated from refairn/notifications/domain/catalogue.py by",
        "     `python -m refairn.webhooks.catalogue_docs > docs/events.md`; a test compares. -->",
        "",
        "Every event below is shown in the app to the people it concerns",
        "(`GET /me/notifications`), e-mailed to them per their preferences",
        "(`GET/PUT /me/notification-preferences`: per family, `immediate`, `daily_digest` at",
        "07:00 UTC, or `off`), and POSTed to the webhook endpoints of the business that",
        "subscribed to its type (`POST /businesses/{b}/webhooks`, owners and managers;",
        '`["*"]` subscribes to every type). The same catalogue is the `webhooks` section',
        "of the OpenAPI document (`/api/v1/openapi.json`).",
        "",
        "## Deliveries",
        "",
        'Each delivery is a POST of `{"type", "timestamp", "data"}` (JSON), signed per',
        "[Standard Webhooks](https://www.standardwebhooks.com): headers `webhook-id`,",
        "`webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of",
        '"id.timestamp.body">` with the endpoint\'s secret (`whsec_<base64>`, shown when the',
        "endpoint is created or its secret rotated; after a rotation the old secret also signs for",
        "a day). Verify with any Standard Webhooks library, e.g. Python's `standardwebhooks`:",
        "`Webhook(secret).verify(body, headers)`.",
        "",
        RETRIES,
        "",
        "Deliveries are at least once: deduplicate on `webhook-id`. Events are written in the",
        "transaction of the change they announce, so a change that did not happen sends nothing.",
        "",
        "Only https URLs on public addresses are accepted (checked at registration and again",
        "before every delivery, on every address the name resolves to).",
        "",
        "## Fields in every event's `data`",
        "",
        "| field | type | meaning |",
        "|---|---|---|",
        *_field_rows(COMMON_FIELDS),
        "",
        "Event-specific fields are listed per event. Every field listed is present in every",
        "event of its type (null only where it says so) and there are no others: the platform",
        "refuses to record an event whose payload does not match its entry here.",
        "",
        "## Families (e-mail preferences)",
        "",
        "| family | covers |",
        "|---|---|",
        *[f"| `{family.value}` | {FAMILY_LABELS[family]} |" for family in Family],
        "",
        "## Catalogue",
    ]
    for family in Family:
        lines += ["", f"### {family.value}", ""]
        for spec in (s for s in CATALOGUE if s.family == family):
            lines += [
                f"#### `{spec.type}`",
                "",
                f"{spec.summary} Told in the app: {spec.audience}.",
            ]
            if spec.fields:
                lines += [
                    "",
                    "| field | type | meaning |",
                    "|---|---|---|",
                    *_field_rows(spec.fields),
                ]
            lines.append("")
    lines += [
        "### Test deliveries",
        "",
        f"#### `{PING.type}`",
        "",
        f"{PING.summary} `data`: `business_id`, `webhook_endpoint_id`, `text`, `url`.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(events_markdown(), end="")
