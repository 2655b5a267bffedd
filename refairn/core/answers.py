"""Answers the server builds itself (issue 17): on a hot read, rows already shaped as the
operation's schema dumps them are rendered as Ninja renders a validated answer, so nothing the
server just read is validated again. The operation still declares its schema (OpenAPI), and a
test holds each such answer equal to the schema's."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from ninja.responses import NinjaJSONEncoder


class _AnswerEncoder(NinjaJSONEncoder):
    """Ninja's encoder asked first for what rows hold most (instants and ids), each rendered
    as Ninja's encoder renders it (through Django's)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            return DjangoJSONEncoder.default(self, o)
        if isinstance(o, uuid.UUID):
            return str(o)
        return super().default(o)


def json_answer(response: HttpResponse, data: Any) -> HttpResponse:
    """``data`` as the body of ``response`` (the operation's temporal response: its status,
    content type and headers are kept)."""
    response.content = json.dumps(data, cls=_AnswerEncoder, check_circular=False)
    return response
