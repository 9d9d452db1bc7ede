"""Reading the claims ledger: the current best answer, how claims moved, and what contradicts what.

An official claim beats any rumor; among rumors the most recent, then the most-sourced, wins.
A claim contradicts when it disagrees with the official answer (a release window that does not
overlap the confirmed one) or with the topic's known cast (an actor given someone else's role).
Functions take a Session and never write.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Final, TypeAlias, cast

from sqlalchemy import Row, select

from aoud_tracker.models import Article, Claim
from aoud_tracker.periods import describe_window, overlap

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.orm import Session

    from aoud_tracker.topic import Topic

ClaimRow: TypeAlias = Row[Any]  # a claims row as plain columns, named as Claim's attributes


@dataclass(frozen=True)
class Said:
    """One source saying something, and when."""

    site: str
    url: str
    as_of: date
    sentence: str
    official: bool


@dataclass
class Window:
    """A release window as claimed, with everyone who claimed it."""

    start: date | None
    end: date | None
    precision: str | None
    hedge: str
    sources: list[Said] = field(default_factory=list)

    @property
    def first_said(self) -> date:
        return min(s.as_of for s in self.sources)

    @property
    def last_said(self) -> date:
        return max(s.as_of for s in self.sources)

    @property
    def label(self) -> str:
        """ "early 2027", or "no date" for a "no release date yet" claim."""
        if self.start is None or self.end is None:
            return "no date"
        return describe_window(self.start, self.end, self.precision)

    def overlaps(self, other: Window) -> bool:
        return overlap((self.start, self.end), (other.start, other.end))


@dataclass
class ReleaseLedger:
    official: Window | None
    best: Window | None
    timeline: list[Window]
    contradictions: list[Window]
    track_record: dict[str, tuple[int, int]]  # site -> (release claims, contradicted by the official one)


@dataclass
class CastMember:
    actor: str
    character: str | None
    status: str
    sources: list[Said] = field(default_factory=list)
    disputed: list[str] = field(default_factory=list)


@dataclass
class CastLedger:
    members: list[CastMember]
    contradictions: list[tuple[str, Said]]  # (what is wrong, who said it)


def claim_line(claim: Claim | ClaimRow) -> str | None:
    """One claim as a line a reader takes in at a glance ("Release window: early 2027, confirmed");
    None for plot lines, which the story's summary already tells."""
    if claim.kind == "release_date":
        if claim.start is None or claim.end is None:
            return "Release date: none set yet"
        return f"Release window: {describe_window(claim.start, claim.end, claim.precision)}, {claim.hedge}"
    if claim.kind == "cast" and claim.actor:
        role = f" as {claim.character}" if claim.character else ""
        return f"Cast: {claim.actor}{role}, {claim.status}"
    return None


_READ_ONCE: Final = "aoud.claim_rows"


@contextmanager
def claims_read_once(session: Session) -> Iterator[None]:
    """Within the block, each kind of claim is read from the store once: publishing builds the
    ledgers and the claims feed from the same rows (each read was a third of a second with a
    million articles stored). The rows are dropped when the block ends."""
    session.info[_READ_ONCE] = {}
    try:
        yield
    finally:
        session.info.pop(_READ_ONCE, None)


def claim_rows(session: Session, topic: str, kind: str) -> list[tuple[ClaimRow, str]]:
    """The topic's claims of one kind with their article's URL, in the order they were made.

    Plain rows, not Claim objects: the ledgers read every claim of the topic, and building and
    tracking an ORM object per claim was four fifths of that time.
    """
    cache = session.info.get(_READ_ONCE)
    if cache is not None and (topic, kind) in cache:
        return list(cache[topic, kind])
    rows = session.execute(
        select(*Claim.__table__.columns, Article.canonical_url.label("article_url"))
        .join(Article, Article.id == Claim.article_id)
        .where(Claim.topic == topic, Claim.kind == kind)
        .order_by(Claim.as_of, Claim.article_id, Claim.id)  # an edit re-inserts rows, not articles
    ).all()
    read = [(cast("ClaimRow", row), str(row.article_url)) for row in rows]
    if cache is not None:
        cache[topic, kind] = read
    return list(read)


def _said(claim: ClaimRow, url: str) -> Said:
    return Said(claim.site, url, claim.as_of, claim.sentence, claim.official)


def release_ledger(session: Session, topic: str) -> ReleaseLedger:
    """The release-date picture: official window, best answer, timeline, contradictions."""
    windows: dict[tuple[object, ...], Window] = {}
    for claim, url in claim_rows(session, topic, "release_date"):
        hedge = claim.hedge or "expected"
        key = (claim.start, claim.end, "confirmed" if hedge == "confirmed" else hedge)
        window = windows.setdefault(key, Window(claim.start, claim.end, claim.precision, hedge))
        window.sources.append(_said(claim, url))
    timeline = sorted(windows.values(), key=lambda w: (w.first_said, w.start or date.min))
    confirmed = [w for w in timeline if w.hedge == "confirmed" and w.start is not None]
    official = max(confirmed, key=lambda w: w.last_said) if confirmed else None
    hopes = [w for w in timeline if w.hedge in ("expected", "rumored") and w.start is not None]
    best = official or (max(hopes, key=lambda w: (w.last_said, len(w.sources))) if hopes else None)
    contradicted = [w for w in hopes if official is not None and not w.overlaps(official)]
    record: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for window in hopes:
        for said in window.sources:
            record[said.site][0] += 1
            record[said.site][1] += window in contradicted and said.as_of <= (
                official.last_said if official else said.as_of
            )
    return ReleaseLedger(
        official, best, timeline, contradicted, {site: (n, bad) for site, (n, bad) in record.items()}
    )


def cast_ledger(session: Session, topic: Topic) -> CastLedger:
    """Who is in the season by the latest firm word, who is disputed, and which pages got roles wrong."""
    known_role = {person.name: person.character for person in topic.cast if person.character}
    role_owner = {person.character: person.name for person in topic.cast if person.character}
    members: dict[str, CastMember] = {}
    contradictions: list[tuple[str, Said]] = []
    for claim, url in claim_rows(session, topic.slug, "cast"):
        said = _said(claim, url)
        actor = claim.actor or "?"
        member = members.setdefault(
            actor, CastMember(actor, known_role.get(actor) or claim.character, claim.status or "rumored")
        )
        member.sources.append(said)
        firm = claim.status != "rumored"
        if firm and member.status not in ("rumored", claim.status):
            member.disputed.append(f"{member.status} and {claim.status} ({claim.site}, {claim.as_of})")
        if firm or member.status == "rumored":
            member.status = claim.status or member.status
        if claim.character and actor in known_role and claim.character != known_role[actor]:
            owner = role_owner.get(claim.character)
            wrong = f"{actor} given the role of {claim.character}" + (
                f" (played by {owner})" if owner else ""
            )
            contradictions.append((wrong, said))
    order = {"returning": 0, "new": 1, "rumored": 2, "leaving": 3}
    return CastLedger(
        sorted(members.values(), key=lambda m: (order.get(m.status, 9), m.actor)), contradictions
    )


def plot_claims(session: Session, topic: str) -> list[tuple[str, bool, Said]]:
    """Plot sentences, newest first, one per sentence text."""
    seen: dict[str, tuple[str, bool, Said]] = {}
    for claim, url in reversed(claim_rows(session, topic, "plot")):
        seen.setdefault(claim.sentence, (claim.sentence, claim.spoiler, _said(claim, url)))
    return list(seen.values())
