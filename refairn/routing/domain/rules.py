"""Routing rules (PRODUCT.md §7): the rule model, matching a ticket, and the rules' JSON shape
(API.md "Routing") with its validation.

Decisions where the product text is silent:

- A rule matches when every criterion it sets matches (tags: any of; tiers: in; priorities: in;
  escalation flag: equal); criteria left empty are ignored. There is no OR inside a rule: the
  third seed's "P1 or marked needs escalation" is two rules with the same requirement (see
  ``defaults``). An OR inside a rule would leave it unclear which criteria join the OR.
- A rule without any criterion matches every ticket. It is allowed only as the last rule, where
  it is the business's own catch-all; anywhere else it would silently shadow the rules after it.
- Tags compare case-insensitively: rule and ticket tags are trimmed and lower-cased.
- Unknown fields are errors: a misspelt ``tag_any`` would otherwise turn a rule into a catch-all.
- ``fallback`` may be null (the seed's security and standard rules have none): an empty pool then
  sends the ticket to the business queue.
- ``base_track_id`` is required for ``base_track_and_notify``; optional for ``flag_for_review``
  (without it, any eligible agent) and for ``route_to_manager`` (with it, the best-matching agent
  holding that track also gets the ticket: the seed's "route to manager + best-matching agent").
  ``highest_certified`` (the seed's VIP fallback) ranks the eligible agents by how
  certified they are (see ``choose``); a ``base_track_id`` limits it to agents holding that track.
- Rule names are unique ignoring case, since reports show them side by side.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeAlias

PRIORITIES: tuple[str, ...] = ("P1", "P2", "P3", "P4")
# The customer tiers of PRODUCT.md §1 (``programs.domain.Tier``), in their display order.
TIERS: tuple[str, ...] = ("standard", "premium", "enterprise", "strategic")
MAX_RULES = 100
MAX_NAME_LENGTH = 100

_RULE_KEYS = frozenset({"name", "match", "require", "fallback", "escalate_to_security"})
_MATCH_KEYS = frozenset({"tags_any", "tiers", "priorities", "escalation_flag"})
_REQUIRE_KEYS = frozenset({"track_id", "min_certifications"})
_FALLBACK_KEYS = frozenset({"action", "base_track_id"})


class FallbackAction(StrEnum):
    BASE_TRACK_AND_NOTIFY = "base_track_and_notify"
    FLAG_FOR_REVIEW = "flag_for_review"
    ROUTE_TO_MANAGER = "route_to_manager"
    HIGHEST_CERTIFIED = "highest_certified"


_FALLBACK_ACTIONS = frozenset(action.value for action in FallbackAction)


def normalize_tag(tag: str) -> str:
    return tag.strip().lower()


def _normalize_tags(tags: Iterable[str]) -> frozenset[str]:
    return frozenset(normalize_tag(tag) for tag in tags)


@dataclass(frozen=True)
class TicketFacts:
    """What routing knows of a ticket; tags are normalized on construction."""

    tags: frozenset[str]
    tier: str
    priority: str
    escalation_flag: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", _normalize_tags(self.tags))
        if self.tier not in TIERS:
            raise ValueError(f"unknown customer tier {self.tier!r}")
        if self.priority not in PRIORITIES:
            raise ValueError(f"unknown priority {self.priority!r}")


@dataclass(frozen=True)
class Match:
    tags_any: frozenset[str] = frozenset()
    tiers: frozenset[str] = frozenset()
    priorities: frozenset[str] = frozenset()
    escalation_flag: bool | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags_any", _normalize_tags(self.tags_any))
        if not self.tiers <= frozenset(TIERS):
            raise ValueError(f"unknown tiers {sorted(self.tiers - frozenset(TIERS))}")
        if not self.priorities <= frozenset(PRIORITIES):
            raise ValueError(
                f"unknown priorities {sorted(self.priorities - frozenset(PRIORITIES))}"
            )

    @property
    def is_catch_all(self) -> bool:
        return not (
            self.tags_any or self.tiers or self.priorities or self.escalation_flag is not None
        )

    def matches(self, facts: TicketFacts) -> bool:
        """PRODUCT.md §7: every criterion the rule sets must match the ticket."""
        if self.tags_any and self.tags_any.isdisjoint(facts.tags):
            return False
        if self.tiers and facts.tier not in self.tiers:
            return False
        if self.priorities and facts.priority not in self.priorities:
            return False
        return self.escalation_flag is None or self.escalation_flag == facts.escalation_flag


@dataclass(frozen=True)
class RequireTrack:
    track_id: str

    def met_by(self, certified_track_ids: AbstractSet[str]) -> bool:
        return self.track_id in certified_track_ids


@dataclass(frozen=True)
class RequireMinCertifications:
    count: int

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("min_certifications must be at least 1")

    def met_by(self, certified_track_ids: AbstractSet[str]) -> bool:
        return len(certified_track_ids) >= self.count


Requirement: TypeAlias = RequireTrack | RequireMinCertifications


@dataclass(frozen=True)
class Fallback:
    action: FallbackAction
    base_track_id: str | None = None

    def __post_init__(self) -> None:
        if self.action is FallbackAction.BASE_TRACK_AND_NOTIFY and self.base_track_id is None:
            raise ValueError("base_track_and_notify needs a base_track_id")


@dataclass(frozen=True)
class Rule:
    name: str
    match: Match
    require: Requirement
    fallback: Fallback | None = None
    escalate_to_security: bool = False


def first_matching(rules: Sequence[Rule], facts: TicketFacts) -> Rule | None:
    """PRODUCT.md §7: rules are ordered and the first that matches the ticket decides."""
    return next((rule for rule in rules if rule.match.matches(facts)), None)


class RoutingRuleError(ValueError):
    """Invalid routing rules (API: 422); ``errors`` maps each offending path to its message."""

    code = "invalid_routing_rules"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors.items()))
        self.errors = errors


def rules_to_json(rules: Sequence[Rule]) -> list[dict[str, object]]:
    """API.md "Routing": the rules in their normalized JSON shape, every key present."""
    return [_rule_to_json(rule) for rule in rules]


def _rule_to_json(rule: Rule) -> dict[str, object]:
    require: dict[str, object] = (
        {"track_id": rule.require.track_id}
        if isinstance(rule.require, RequireTrack)
        else {"min_certifications": rule.require.count}
    )
    fallback = (
        None
        if rule.fallback is None
        else {"action": str(rule.fallback.action), "base_track_id": rule.fallback.base_track_id}
    )
    return {
        "name": rule.name,
        "match": {
            "tags_any": sorted(rule.match.tags_any),
            "tiers": [tier for tier in TIERS if tier in rule.match.tiers],
            "priorities": [p for p in PRIORITIES if p in rule.match.priorities],
            "escalation_flag": rule.match.escalation_flag,
        },
        "require": require,
        "fallback": fallback,
        "escalate_to_security": rule.escalate_to_security,
    }


def parse_rules(raw: object, *, known_track_ids: AbstractSet[str]) -> list[Rule]:
    """API.md "Routing": validate the rules a business submits (PRODUCT.md §7) against its
    tracks. Raises RoutingRuleError listing every problem at once, keyed by path
    (``rules[2].require.track_id``)."""
    if not isinstance(raw, list):
        raise RoutingRuleError({"rules": "must be a list of rules"})
    if len(raw) > MAX_RULES:
        raise RoutingRuleError({"rules": f"at most {MAX_RULES} rules"})
    parser = _Parser(known_track_ids)
    rules = [
        parser.rule(item, index, is_last=index == len(raw) - 1) for index, item in enumerate(raw)
    ]
    if parser.errors:
        raise RoutingRuleError(parser.errors)
    return [rule for rule in rules if rule is not None]


class _Parser:
    def __init__(self, known_track_ids: AbstractSet[str]) -> None:
        self.known_track_ids = known_track_ids
        self.errors: dict[str, str] = {}
        self.names: dict[str, str] = {}

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, message)

    def rule(self, item: object, index: int, *, is_last: bool) -> Rule | None:
        path = f"rules[{index}]"
        if not isinstance(item, dict):
            self.fail(path, "must be an object")
            return None
        if not item:
            self.fail(path, "must not be empty")
            return None
        errors_before = len(self.errors)
        self.unknown_keys(item, _RULE_KEYS, path)
        name = self.name(item.get("name"), f"{path}.name")
        match = self.match(item.get("match"), f"{path}.match")
        if match is not None and match.is_catch_all and not is_last:
            self.fail(
                f"{path}.match",
                "a rule without match criteria matches every ticket, so only the last rule "
                "may have none",
            )
        require = self.require(item.get("require"), f"{path}.require")
        fallback = self.fallback(item.get("fallback"), f"{path}.fallback")
        escalate = item.get("escalate_to_security", False)
        if not isinstance(escalate, bool):
            self.fail(f"{path}.escalate_to_security", "must be true or false")
        if name is None or match is None or require is None or len(self.errors) > errors_before:
            return None
        return Rule(name, match, require, fallback, escalate_to_security=bool(escalate))

    def unknown_keys(self, value: dict[Any, Any], allowed: frozenset[str], path: str) -> None:
        for key in value:
            if key not in allowed:
                self.fail(f"{path}.{key}", "unknown field")

    def name(self, value: object, path: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "required: a non-empty string")
            return None
        name = value.strip()
        if len(name) > MAX_NAME_LENGTH:
            self.fail(path, f"at most {MAX_NAME_LENGTH} characters")
            return None
        first = self.names.setdefault(name.casefold(), path)
        if first != path:
            self.fail(path, f"duplicates the name at {first}")
            return None
        return name

    def match(self, value: object, path: str) -> Match | None:
        if value is None:
            return Match()
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
            return None
        errors_before = len(self.errors)
        self.unknown_keys(value, _MATCH_KEYS, path)
        tags = self.strings(value.get("tags_any"), f"{path}.tags_any")
        tiers = self.choices(value.get("tiers"), f"{path}.tiers", TIERS, "tier")
        priorities = self.choices(
            value.get("priorities"), f"{path}.priorities", PRIORITIES, "priority"
        )
        flag = value.get("escalation_flag")
        if flag is not None and not isinstance(flag, bool):
            self.fail(f"{path}.escalation_flag", "must be true, false or null")
        if len(self.errors) > errors_before:
            return None
        return Match(
            tags_any=tags,
            tiers=tiers,
            priorities=priorities,
            escalation_flag=flag if isinstance(flag, bool) else None,
        )

    def strings(self, value: object, path: str) -> frozenset[str]:
        if value is None:
            return frozenset()
        if not isinstance(value, list):
            self.fail(path, "must be a list of strings")
            return frozenset()
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{path}[{index}]", "must be a non-empty string")
        return frozenset(item for item in value if isinstance(item, str) and item.strip())

    def choices(
        self, value: object, path: str, allowed: tuple[str, ...], noun: str
    ) -> frozenset[str]:
        values = self.strings(value, path)
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str) and item.strip() and item not in allowed:
                    self.fail(
                        f"{path}[{index}]", f"unknown {noun} {item!r}; one of {', '.join(allowed)}"
                    )
        return values & frozenset(allowed)

    def track(self, value: object, path: str) -> str | None:
        if not isinstance(value, str) or not value:
            self.fail(path, "must be a track id")
            return None
        if value not in self.known_track_ids:
            self.fail(path, f"unknown track {value!r}")
            return None
        return value

    def require(self, value: object, path: str) -> Requirement | None:
        if not isinstance(value, dict):
            self.fail(path, 'required: {"track_id"} or {"min_certifications"}')
            return None
        self.unknown_keys(value, _REQUIRE_KEYS, path)
        if ("track_id" in value) == ("min_certifications" in value):
            self.fail(path, 'give exactly one of "track_id" or "min_certifications"')
            return None
        if "track_id" in value:
            track_id = self.track(value["track_id"], f"{path}.track_id")
            return None if track_id is None else RequireTrack(track_id)
        count = value["min_certifications"]
        count_path = f"{path}.min_certifications"
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            self.fail(count_path, "must be a whole number of at least 1")
            return None
        if count > len(self.known_track_ids):
            # No agent could ever meet it: every ticket would fall back.
            self.fail(
                count_path, f"cannot exceed the number of tracks ({len(self.known_track_ids)})"
            )
            return None
        return RequireMinCertifications(count)

    def fallback(self, value: object, path: str) -> Fallback | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(path, "must be an object or null")
            return None
        self.unknown_keys(value, _FALLBACK_KEYS, path)
        raw_action = value.get("action")
        if not isinstance(raw_action, str) or raw_action not in _FALLBACK_ACTIONS:
            self.fail(f"{path}.action", f"must be one of {', '.join(FallbackAction)}")
            return None
        action = FallbackAction(raw_action)
        raw_base = value.get("base_track_id")
        if raw_base is None:
            if action is FallbackAction.BASE_TRACK_AND_NOTIFY:
                self.fail(f"{path}.base_track_id", "required for base_track_and_notify")
                return None
            return Fallback(action)
        base = self.track(raw_base, f"{path}.base_track_id")
        return None if base is None else Fallback(action, base)
