"""Support access: whether an agent may do support work for a business (PRODUCT.md §2, §6).

Decisions where the product text is silent: a business may activate access without a request
(and the system may, for programs whose training access is automatic); a business refuses a
request by removing access; only a removed agent needs ``reapprove``, a suspended one is
``reinstate``d.
"""

from __future__ import annotations

from enum import StrEnum

from refairn.certification.domain.errors import ForbiddenTransition, InvalidTransition
from refairn.certification.domain.status import ActorKind


class AccessStatus(StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REMOVED = "removed"


class AccessEvent(StrEnum):
    REQUEST = "request"
    ACTIVATE = "activate"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REMOVE = "remove"
    REAPPROVE = "reapprove"


_S = AccessStatus
_E = AccessEvent

ACCESS_TRANSITIONS: dict[tuple[AccessStatus, AccessEvent], AccessStatus] = {
    (_S.NONE, _E.REQUEST): _S.REQUESTED,
    (_S.NONE, _E.ACTIVATE): _S.ACTIVE,
    (_S.REQUESTED, _E.ACTIVATE): _S.ACTIVE,
    (_S.REQUESTED, _E.REMOVE): _S.REMOVED,
    (_S.ACTIVE, _E.SUSPEND): _S.SUSPENDED,
    (_S.ACTIVE, _E.REMOVE): _S.REMOVED,
    (_S.SUSPENDED, _E.REINSTATE): _S.ACTIVE,
    (_S.SUSPENDED, _E.REMOVE): _S.REMOVED,
    (_S.REMOVED, _E.REAPPROVE): _S.ACTIVE,
}

_BUSINESS = frozenset({ActorKind.OWNER, ActorKind.MANAGER})

ACCESS_ALLOWED_ACTORS: dict[AccessEvent, frozenset[ActorKind]] = {
    _E.REQUEST: frozenset({ActorKind.AGENT}),
    _E.ACTIVATE: _BUSINESS | {ActorKind.SYSTEM},
    _E.SUSPEND: _BUSINESS,
    _E.REINSTATE: _BUSINESS,
    _E.REMOVE: _BUSINESS,
    _E.REAPPROVE: _BUSINESS,
}


# PRODUCT.md §2: with training access "on request", the request unlocks the training library at
# once; a suspension keeps it open (only support work stops), a removal closes it until the
# business re-approves.
_OPENS_TRAINING = frozenset({AccessStatus.REQUESTED, AccessStatus.ACTIVE, AccessStatus.SUSPENDED})


def opens_training(status: AccessStatus) -> bool:
    """PRODUCT.md §2: this support access opens the training library (programs whose training
    access is on request)."""
    return status in _OPENS_TRAINING


def next_access(current: AccessStatus, event: AccessEvent) -> AccessStatus:
    """PRODUCT.md §6: suspend / reinstate / remove / re-approve support access; an illegal change
    is refused."""
    try:
        return ACCESS_TRANSITIONS[(current, event)]
    except KeyError:
        raise InvalidTransition(current, event) from None


def check_access_actor(event: AccessEvent, actor_kind: ActorKind) -> None:
    """PRODUCT.md §6: agents request access; the business decides everything else."""
    if actor_kind not in ACCESS_ALLOWED_ACTORS[event]:
        raise ForbiddenTransition(event, actor_kind)
