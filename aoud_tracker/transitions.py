"""Claim transitions: each moment the state of knowledge changed, for feeds/claims.xml.

A transition is a *new state*, not a new article: the first report of a release window, the
first official confirmation (with the rumours it confirms or rules out), a window denied, an
actor's first report under a status (rumored, new, returning, leaving), a page giving an
actor someone else's role. Its identity is what changed (`key`), never the article that said
it, so a reprint, a syndicated copy or an edited article that repeats a known claim adds
nothing, and the feed entry's GUID stays the same forever.

Walks the claims in the order they were made (publication date, then storage order).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Final

from aoud_tracker.ledger import ClaimRow, claim_rows
from aoud_tracker.periods import describe_window, overlap

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from aoud_tracker.topic import Topic

_CAST_VERB: Final = {
    "rumored": "rumoured for",
    "new": "joins",
    "returning": "returns for",
    "leaving": "leaves",
}
_SPAN: Final = 3  # rumours named in a confirmation before "and N more"


@dataclass(frozen=True)
class Transition:
    """One change in what is known, with the claim that made it."""

    key: str  # what changed: stable across reprints, copies and edits
    kind: str  # release_{reported,confirmed,denied,no_date}, cast_<status>, cast_wrong_role
    title: str
    detail: str
    when: date
    site: str
    url: str
    sentence: str

    @property
    def digest(self) -> str:
        """A short, permanent hash of the key, for GUIDs."""
        return hashlib.sha1(self.key.encode("utf-8")).hexdigest()[:16]


@dataclass
class _ReleaseState:
    reported: dict[tuple[date | None, date | None], ClaimRow] = field(default_factory=dict)
    confirmed: set[tuple[date | None, date | None]] = field(default_factory=set)
    denied: set[tuple[date | None, date | None]] = field(default_factory=set)
    official: ClaimRow | None = None
    no_date_said: bool = False


def claim_transitions(session: Session, topic: Topic) -> list[Transition]:
    """Every transition so far, oldest first."""
    return [*_release_transitions(session, topic.slug), *_cast_transitions(session, topic)]


def window_label(claim: ClaimRow) -> str:
    """ "early 2027": the window in a reader's words, the same whoever claimed it and in what language."""
    if claim.start is None or claim.end is None:
        return "no date"
    return describe_window(claim.start, claim.end, claim.precision)


def _release_transitions(session: Session, slug: str) -> list[Transition]:
    state = _ReleaseState()
    found: list[Transition] = []
    for claim, url in claim_rows(session, slug, "release_date"):
        made = _release_change(claim, url, state)
        if made is not None:
            found.append(made)
    return found


def _release_change(claim: ClaimRow, url: str, state: _ReleaseState) -> Transition | None:
    """The transition one release claim makes, if it changes anything; updates the state."""
    window = (claim.start, claim.end)
    span = f"{claim.start}..{claim.end}"
    if claim.hedge == "no_date":
        if not claim.official or state.no_date_said or state.official is not None:
            return None
        state.no_date_said = True
        return _made(claim, url, "release_no_date", "release:no_date", "Official: no release date yet", "")
    label = window_label(claim)
    if claim.hedge == "confirmed":
        if window in state.confirmed:
            return None
        state.confirmed.add(window)
        state.official = claim
        return _made(
            claim, url, "release_confirmed", f"release:confirmed:{span}", f"Official release window: {label}",
            _verdict(claim, list(state.reported.values())),
        )  # fmt: skip
    if claim.hedge == "denied":
        if window in state.denied:
            return None
        state.denied.add(window)
        return _made(
            claim, url, "release_denied", f"release:denied:{span}", f"Release window denied: {label}", ""
        )
    if window in state.reported:
        return None
    state.reported[window] = claim
    clash = ""
    if state.official is not None and not _overlaps(claim, state.official):
        clash = f"It contradicts the official window, {window_label(state.official)}."
    title = f"New release window reported: {label} ({claim.hedge})"
    return _made(claim, url, "release_reported", f"release:reported:{span}", title, clash)


def _verdict(official: ClaimRow, rumours: list[ClaimRow]) -> str:
    """Which earlier rumours an official window confirms, and which it rules out."""
    confirms = [r for r in rumours if _overlaps(r, official)]
    rules_out = [r for r in rumours if not _overlaps(r, official)]
    parts = []
    if confirms:
        parts.append(f"Confirms {len(confirms)} earlier rumour(s): {_some(confirms)}.")
    if rules_out:
        parts.append(f"Rules out {len(rules_out)}: {_some(rules_out)}.")
    return " ".join(parts)


def _some(claims: list[ClaimRow]) -> str:
    named = "; ".join(f"{window_label(c)} ({c.site}, {c.as_of})" for c in claims[:_SPAN])
    return named + (f" and {len(claims) - _SPAN} more" if len(claims) > _SPAN else "")


def _overlaps(one: ClaimRow, other: ClaimRow) -> bool:
    return overlap((one.start, one.end), (other.start, other.end))


def _cast_transitions(session: Session, topic: Topic) -> list[Transition]:
    known_role = {person.name: person.character for person in topic.cast if person.character}
    role_owner = {person.character: person.name for person in topic.cast if person.character}
    firm: dict[str, str] = {}
    seen: set[str] = set()
    found: list[Transition] = []
    for claim, url in claim_rows(session, topic.slug, "cast"):
        actor, status = claim.actor or "?", claim.status or "rumored"
        key = f"cast:{actor}:{status}"
        if key not in seen and not (status == "rumored" and actor in firm):
            seen.add(key)
            role = f" as {claim.character}" if claim.character else ""
            found.append(
                _made(claim, url, f"cast_{status}", key, f"{actor} {_CAST_VERB[status]} the season{role}", "")
            )
        if status != "rumored":
            firm[actor] = status
        right = known_role.get(actor)
        wrong_key = f"cast:wrong_role:{actor}:{claim.character}"
        if claim.character and right and claim.character != right and wrong_key not in seen:
            seen.add(wrong_key)
            owner = role_owner.get(claim.character)
            played_by = f", which {owner} plays" if owner else ""
            detail = (
                f"{actor} plays {right}; {claim.site} gave {actor} the role of {claim.character}{played_by}."
            )
            found.append(
                _made(
                    claim,
                    url,
                    "cast_wrong_role",
                    wrong_key,
                    f"Disputed: {actor} as {claim.character}",
                    detail,
                )
            )
    return found


def _made(claim: ClaimRow, url: str, kind: str, key: str, title: str, detail: str) -> Transition:
    return Transition(key, kind, title, detail, claim.as_of, claim.site, url, claim.sentence)
