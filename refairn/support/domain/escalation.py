"""Must-escalate topics and their detection (PRODUCT.md §6).

``detect_topics`` is the single entry point on purpose: it serves both the suggested escalation
of a new ticket and the warnings on an agent's draft reply. Given the ``kind`` of text it runs
the business's phrase rules and the measured detector (``escalation_model``, issue 14): a phrase
hit always warns, the model adds recall. Without a ``kind`` it runs the phrase rules alone.
"""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Literal, TypeVar

from refairn.support.domain.errors import EmptyTopicError, TopicConfigError
from refairn.support.domain.escalation_model import Detector, Kind, default_detector

# Topic keys may be Category members or their plain string values (as stored in settings).
TopicKey = TypeVar("TopicKey", bound=str)


class Category(StrEnum):
    BILLING_DISPUTE = "billing_dispute"
    ACCOUNT_SECURITY = "account_security"
    FINANCIAL_DATA = "financial_data"
    PLATFORM_DEFECT = "platform_defect"
    REFUND = "refund"
    ACCOUNT_DELETION = "account_deletion"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS: Mapping[Category, str] = {
    Category.BILLING_DISPUTE: "Billing dispute",
    Category.ACCOUNT_SECURITY: "Account security",
    Category.FINANCIAL_DATA: "Financial data request",
    Category.PLATFORM_DEFECT: "Platform defect",
    Category.REFUND: "Refund",
    Category.ACCOUNT_DELETION: "Account deletion or cancellation",
}

# When a text touches several topics, the first here is the suggested escalation: security is
# urgent and has its own route, regulated data and money disputes come next, and "bug"-style
# defect phrases are the most common false positives.
PRIORITY: tuple[Category, ...] = (
    Category.ACCOUNT_SECURITY,
    Category.FINANCIAL_DATA,
    Category.BILLING_DISPUTE,
    Category.REFUND,
    Category.ACCOUNT_DELETION,
    Category.PLATFORM_DEFECT,
)

# Phrases are written the way a customer asks; "my" also matches your/the/this/... or nothing,
# so "reset my password" catches an agent's "I have reset your password" too.
DEFAULT_PHRASES: Mapping[Category, tuple[str, ...]] = {
    Category.BILLING_DISPUTE: (
        "billing dispute",
        "dispute the charge",
        "dispute my invoice",
        "disputed charge",
        "chargeback",
        "charged twice",
        "double charged",
        "overcharged",
        "billed twice",
        "billed incorrectly",
        "wrongly billed",
        "wrong charge",
        "incorrect charge",
        "unexpected charge",
        "unauthorized charge",
        "unauthorised charge",
        "incorrect invoice",
        "wrong invoice",
        "billing error",
        "billing mistake",
    ),
    Category.ACCOUNT_SECURITY: (
        "reset my password",
        "password reset",
        "forgot my password",
        "change my password",
        "locked out",
        "account locked",
        "lockout",
        "unlock my account",
        "can't log in",
        "cannot log in",
        "can't sign in",
        "cannot sign in",
        "2fa",
        "two-factor",
        "mfa",
        "multi-factor",
        "authenticator app",
        "verification code",
        "suspicious login",
        "suspicious activity",
        "unrecognized login",
        "unrecognised login",
        "hacked",
        "hacker",
        "been compromised",
        "security breach",
        "access credentials",
        "login credentials",
    ),
    Category.FINANCIAL_DATA: (
        "bank details",
        "bank account details",
        "bank statement",
        "card number",
        "card details",
        "invoice history export",
        "invoice history",
        "transaction history",
        "payment history",
        "billing history",
        "billing records",
        "financial records",
        "financial data",
        "tax document",
        "tax form",
        "export my invoices",
        "copy of my invoices",
        "account statement",
        "payout details",
    ),
    Category.PLATFORM_DEFECT: (
        "bug",
        # Not the bare word: "a crash course", "a crash in sales" are no defect.
        "crashes",
        "crashed",
        "crashing",
        "crashs",
        "the crash",
        "this crash",
        "that crash",
        "error 500",
        "500 error",
        "internal server error",
        "server error",
        "data loss",
        "lost data",
        "missing data",
        "data is missing",
        "data inconsistency",
        "inconsistent data",
        "integration failure",
        "integration is broken",
        "sync failure",
        "not syncing",
        "outage",
        "keeps failing",
        "keeps erroring",
        "stack trace",
        "glitch",
    ),
    Category.REFUND: (
        "refund",
        "refundable",
        "money back",
        "reimburse",
        "reimbursement",
        "credit my account",
        "credit back",
    ),
    Category.ACCOUNT_DELETION: (
        "delete my account",
        "close my account",
        "cancel my account",
        "deactivate my account",
        "terminate my account",
        "remove my account",
        "cancel my subscription",
        "cancelled my subscription",
        "canceled my subscription",
        "end my subscription",
        "stop my subscription",
        "cancel my plan",
        "delete my data",
        "erase my data",
        "right to be forgotten",
        "account deletion",
        "account closure",
        # Not the bare word: a booking's or a client's cancellation (policy, fee, window) is an
        # ordinary product question.
        "account cancellation",
        "subscription cancellation",
        "contract cancellation",
        "cancellation of my account",
        "cancellation of my subscription",
        "cancellation of my contract",
        "cancellation request",
        "request cancellation",
        "confirm my cancellation",
        "my cancellation",
        "our cancellation",
        "your cancellation",
    ),
}

# Product terms that contain a topic's word without raising the topic. A phrase hit that
# overlaps one of them without covering it does not count ("refund" in "refund policy"); a
# business phrase that is the term itself still does.
NOT_TOPICS: tuple[str, ...] = (
    "crash course",
    "bug bounty",
    "bug report form",
    "refund policy",
    "refund button",
    "cancellation policy",
    "cancellation fee",
    "cancellation window",
    "password requirements",
    "password rules",
    "password policy",
    "password field",
    "forgot password link",
    "data source",
)

MAX_PHRASES_PER_CATEGORY = 200
MAX_PHRASE_LENGTH = 80

_DETERMINERS = frozenset({"my", "your", "our", "their", "his", "her", "its", "the", "this", "that"})
_SEPARATOR = r"[\s\-]+"
# Plain inflections on every word ("refunded", "crashes", "resets"); deliberately crude, the
# measured detector replaces this.
_INFLECTION = r"(?:s|es|d|ed|ing)?"


@dataclass(frozen=True)
class TopicWarning:
    category: Category
    reason: str
    # A phrase hit is the business's own rule, so it is certain; a model warning carries the
    # model's probability that the text must be escalated.
    confidence: float = 1.0
    source: Literal["phrase", "model"] = "phrase"
    # Sure enough to act on: every phrase hit, and a model warning at or above the artifact's
    # precision-first route threshold. Other model warnings are suggestions for people only.
    routes: bool = True
    # Sure enough to stand as a new ticket's suggested escalation: every phrase hit, and a model
    # warning at or above the artifact's suggest threshold. Below it the warning is only shown
    # on an agent's draft (or counted by the benchmark), never stored on a ticket.
    suggests: bool = True


# A customer who disclaims a topic ("I'm not asking for a refund", "it's not a bug") is not
# raising it, so the phrase does not count and the model judges the message. Only customers'
# messages get this: an agent's "I can't refund you" is a refusal, which must still warn.
_DISCLAIMER = re.compile(
    r"(?:"
    r"(?:\bnot|\bnever|n't)\s+(?:asking|looking|requesting|after|seeking|wanting|here)"
    r"(?:\s+(?:for|about))?"
    r"|\b(?:don't|dont|do not|doesn't|does not)\s+(?:want|need)(?:\s+to(?:\s+\w+)?)?"
    r"|\bno need (?:for|to \w+)"
    r"|(?:'m|\bam|'re|\bare|'s|\bis)\s+not"
    r")(?:\s+(?:a|an|any|my|the|our))?\s*$"
)
# The customer's own clients: their payments, refunds, cards and cancellations go through the
# product and are how-to questions (data/escalation/README.md), not the customer's own topic.
_OWN_CLIENTS = re.compile(
    r"\b(?:(?:my|our|your|their)(?: own)?|one of (?:my|our|your)(?: own)?)"
    r" (?:clients?|customers?|patients?|students?|guests?)\b"
    r"|\ba (?:client|patient|student|guest)\b"
)
# "my account", "our invoice": the phrase itself says whose it is.
_FIRST_PERSON = re.compile(r"\b(?:my|our|me|us)\b")
# How far back a disclaimer may sit, within the same sentence.
_DISCLAIMER_REACH = 40
_SENTENCE_BREAK = re.compile(r"[.!?;,\n]")
_SENTENCE_BREAK_HARD = re.compile(r"[.!?;\n]")


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text)


def _word(token: str) -> str:
    # "can't" also matches "cant"; inflections only after a letter ("500s" is not a word form).
    body = "'?".join(re.escape(part) for part in token.split("'"))
    return body + _INFLECTION if token[-1].isalpha() else body


def _phrase_regex(phrase: str) -> str:
    tokens = [t for t in re.split(_SEPARATOR, _normalize(phrase).strip()) if t]
    slot = f"(?:(?:{'|'.join(sorted(_DETERMINERS))}){_SEPARATOR})?"
    regex = ""
    for i, token in enumerate(tokens):
        # Only a determiner between two words is optional: an edge one anchors the phrase.
        if token in _DETERMINERS and 0 < i < len(tokens) - 1:
            regex += _SEPARATOR + slot
        else:
            joiner = "" if i == 0 or regex.endswith(slot) else _SEPARATOR
            regex += joiner + _word(token)
    return regex


def _has_distinctive_word(phrase: str) -> bool:
    # A phrase of determiners or punctuation alone would match almost any text.
    tokens = re.split(_SEPARATOR, _normalize(phrase))
    return any(t not in _DETERMINERS and any(c.isalnum() for c in t) for t in tokens)


@lru_cache(maxsize=512)
def _compile(phrases: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so at a shared position the reason names the most specific phrase. The
    # word-boundary checks sit outside the alternation so that inside a word the scan fails
    # once instead of once per phrase (several times faster on long texts).
    ordered = sorted(phrases, key=len, reverse=True)
    alternatives = "|".join(_phrase_regex(p) for p in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def validate_topics(
    categories: Mapping[TopicKey, Sequence[str]],
) -> dict[Category, tuple[str, ...]]:
    """PRODUCT.md §2: check a business's edited escalation topics and return them normalized.

    Keys must be one of the six categories (escalation routes exist only for those); a category
    left out or given no phrases is not detected. Phrases are trimmed and deduplicated.
    """
    result: dict[Category, tuple[str, ...]] = {}
    for key, phrases in categories.items():
        try:
            category = Category(key)
        except ValueError:
            raise TopicConfigError(str(key), "unknown escalation category") from None
        if isinstance(phrases, str):
            raise TopicConfigError(category.value, "must be a list of phrases")
        if len(phrases) > MAX_PHRASES_PER_CATEGORY:
            raise TopicConfigError(category.value, f"at most {MAX_PHRASES_PER_CATEGORY} phrases")
        cleaned: dict[str, None] = {}
        for phrase in phrases:
            if not isinstance(phrase, str) or not phrase.strip():
                raise TopicConfigError(category.value, "phrases must be non-empty text")
            text = " ".join(phrase.split())
            if len(text) > MAX_PHRASE_LENGTH:
                raise TopicConfigError(
                    category.value, f"phrases are at most {MAX_PHRASE_LENGTH} characters"
                )
            if not _has_distinctive_word(text):
                raise TopicConfigError(category.value, f"phrase {text!r} has no distinctive word")
            cleaned[text] = None
        result[category] = tuple(cleaned)
    return result


def topics_edit(
    current: Mapping[Category, Sequence[str]], changes: Mapping[TopicKey, Sequence[str]]
) -> dict[Category, tuple[str, ...]]:
    """PRODUCT.md §2 / issue 11: an edit replaces the phrases of the categories it names and
    keeps the others. A named category must keep at least one phrase: an empty list would switch
    its detection off by accident (the defaults are restored as a whole instead)."""
    for key, phrases in changes.items():
        if not isinstance(phrases, str) and len(phrases) == 0:
            raise EmptyTopicError(str(key), "give at least one phrase")
    edited = validate_topics(changes)
    return {
        category: edited.get(category, tuple(current.get(category, ()))) for category in Category
    }


def _disclaimed(normalized: str, start: int) -> bool:
    before = normalized[max(0, start - _DISCLAIMER_REACH) : start]
    sentence = _SENTENCE_BREAK.split(before)[-1]
    return _DISCLAIMER.search(sentence) is not None


def _about_own_clients(normalized: str, start: int, end: int) -> bool:
    before = _SENTENCE_BREAK_HARD.split(normalized[:start])[-1]
    after = _SENTENCE_BREAK_HARD.split(normalized[end:])[0]
    return _OWN_CLIENTS.search(f"{before}{normalized[start:end]}{after}") is not None


def _inside_other_term(start: int, end: int, terms: Sequence[tuple[int, int]]) -> bool:
    return any(a < end and start < b and not (start <= a and b <= end) for a, b in terms)


def _phrase_warnings(
    normalized: str, topics: Mapping[Category, Sequence[str]], *, disclaimers: bool
) -> dict[Category, TopicWarning]:
    found: dict[Category, TopicWarning] = {}
    terms = [m.span() for m in _compile(NOT_TOPICS).finditer(normalized)]
    for category in PRIORITY:
        phrases = topics.get(category, ())
        if not phrases:
            continue
        for match in _compile(tuple(phrases)).finditer(normalized):
            start, end = match.span()
            if disclaimers and _disclaimed(normalized, start):
                continue
            if _inside_other_term(start, end, terms):
                continue
            if not _FIRST_PERSON.search(match.group(0)) and _about_own_clients(
                normalized, start, end
            ):
                continue
            found[category] = TopicWarning(category, f"mentions '{match.group(0)}'")
            break
    return found


def phrase_topics(
    text: str,
    categories: Mapping[TopicKey, Sequence[str]] | None = None,
    *,
    kind: Kind | str | None = None,
) -> list[TopicWarning]:
    """The phrase rules alone, as ``detect_topics`` applies them for this ``kind`` of text."""
    topics = DEFAULT_PHRASES if categories is None else validate_topics(categories)
    found = _phrase_warnings(_normalize(text), topics, disclaimers=kind == Kind.CUSTOMER)
    return list(found.values())


def detect_topics(
    text: str,
    categories: Mapping[TopicKey, Sequence[str]] | None = None,
    *,
    kind: Kind | str | None = None,
    detector: Detector | None = None,
) -> list[TopicWarning]:
    """PRODUCT.md §6: must-escalate topics a ticket or a draft reply touches.

    Phrase rules: case-insensitive whole-word matching (hyphens and spaces are interchangeable,
    "refund" never matches "refurbish"), the reason quoting the earliest matching text
    (lower-cased). ``categories`` are the edited topics (see ``validate_topics``); None means the
    defaults, and a category without phrases is not detected at all.

    With a ``kind`` ("customer" for a customer's message, "agent" for an agent's reply) the
    measured detector (issue 14) runs too: a phrase hit always warns (in a customer's message
    unless disclaimed, "I'm not asking for a refund"), and when the model's probability that the
    text must be escalated reaches its recall-first threshold it adds its most likely category
    with that probability as the confidence. ``detector`` defaults to the shipped artifact.

    One warning per category, in ``PRIORITY`` order.
    """
    topics = DEFAULT_PHRASES if categories is None else validate_topics(categories)
    found = _phrase_warnings(_normalize(text), topics, disclaimers=kind == Kind.CUSTOMER)
    if kind is None:
        return list(found.values())
    kind = Kind(kind)
    enabled = [category.value for category in PRIORITY if topics.get(category)]
    prediction = (detector or default_detector()).predict(text, kind)
    top = prediction.top(enabled)
    if top is not None and prediction.flagged(enabled):
        category, probability = Category(top), round(prediction.escalate(enabled), 3)
        if category not in found:
            found[category] = TopicWarning(
                category,
                f"worded like this topic ({probability:.0%} likely)",
                confidence=probability,
                source="model",
                routes=prediction.routes(enabled),
                suggests=prediction.suggests(enabled),
            )
    return [found[category] for category in PRIORITY if category in found]


def suggested_escalation(
    text: str,
    categories: Mapping[TopicKey, Sequence[str]] | None = None,
    *,
    kind: Kind | str | None = None,
    detector: Detector | None = None,
) -> TopicWarning | None:
    """PRODUCT.md §6: the category a new ticket should probably be escalated under, if any,
    with its confidence: the first of ``detect_topics``'s warnings that is sure enough to act
    on, else the first sure enough to suggest, else the first the recall-first threshold
    flags (issue 14: a missed escalation costs more than a warning, so a weak one is still
    shown, with its confidence), else none."""
    warnings = detect_topics(text, categories, kind=kind, detector=detector)
    for sure_enough in (lambda w: w.routes, lambda w: w.suggests, lambda w: True):
        found = next((w for w in warnings if sure_enough(w)), None)
        if found is not None:
            return found
    return None


def escalates_at_creation(suggestion: TopicWarning | None) -> bool:
    """Issue 11 item 11 (the seed's rule 4): a security topic found for sure (a phrase, or the
    model at its route threshold) escalates the new ticket to the security team at once,
    whichever agent routing would pick."""
    return suggestion is not None and suggestion.routes and routes_to_security(suggestion.category)


def routes_to_security(category: Category | str) -> bool:
    """PRODUCT.md §6: account-security escalations go to staff with the ``security`` role."""
    return Category(category) is Category.ACCOUNT_SECURITY
