"""E-mail preferences per event family (issue 13); in-app notifications are always on."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping

from django.db import transaction

from refairn.core import clock
from refairn.notifications.domain.catalogue import Family
from refairn.notifications.domain.delivery import EmailMode, preferences_with_defaults
from refairn.notifications.models import NotificationPreference

_FAMILIES = {family.value for family in Family}
_MODES = {mode.value for mode in EmailMode}


def preferences_get_for(user_id: uuid.UUID) -> dict[Family, EmailMode]:
    return preferences_get_each([user_id])[user_id]


def preferences_get_each(
    user_ids: Collection[uuid.UUID],
) -> dict[uuid.UUID, dict[Family, EmailMode]]:
    """``preferences_get_for`` of many users in one query (a batch of mails)."""
    stored: dict[uuid.UUID, dict[Family, EmailMode]] = {user_id: {} for user_id in user_ids}
    rows = NotificationPreference.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "family", "email"
    )
    for user_id, family, mode in rows:
        if family in _FAMILIES and mode in _MODES:  # rows written before a family was renamed
            stored[user_id][Family(family)] = EmailMode(mode)
    return {user_id: preferences_with_defaults(modes) for user_id, modes in stored.items()}


def email_mode_in(modes: Mapping[Family, EmailMode], family: str) -> EmailMode:
    """The mode of an event family (a family no longer known counts as the program's)."""
    return modes[Family(family) if family in _FAMILIES else Family.PROGRAM]


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
