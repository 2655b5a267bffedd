"""E-mail preferences per event family (issue 13); in-app notifications are always on."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from django.db import transaction

from refairn.core import clock
from refairn.notifications.domain.catalogue import Family
from refairn.notifications.domain.delivery import EmailMode, preferences_with_defaults
from refairn.notifications.models import NotificationPreference

_FAMILIES = {family.value for family in Family}
_MODES = {mode.value for mode in EmailMode}


def preferences_get_for(user_id: uuid.UUID) -> dict[Family, EmailMode]:
    stored = {
        Family(family): EmailMode(mode)
        for family, mode in NotificationPreference.objects.filter(user_id=user_id).values_list(
            "family", "email"
        )
        if family in _FAMILIES and mode in _MODES  # rows written before a family was renamed
    }
    return preferences_with_defaults(stored)


def email_mode_for(user_id: uuid.UUID, family: str) -> EmailMode:
    known = Family(family) if family in _FAMILIES else Family.PROGRAM
    return preferences_get_for(user_id)[known]


@transaction.atomic
def preferences_update(
    *, user_id: uuid.UUID, changes: Mapping[Family, EmailMode]
) -> dict[Family, EmailMode]:
    """Issue 13: set the e-mail mode of the named families; the others keep theirs. Running
    twice at once is safe: the unique (user, family) row is the arbiter."""
    now = clock.now()
    for family, mode in changes.items():
        NotificationPreference.objects.update_or_create(
            user_id=user_id,
            family=family.value,
            defaults={"email": mode.value, "updated_at": now},
        )
    return preferences_get_for(user_id)
