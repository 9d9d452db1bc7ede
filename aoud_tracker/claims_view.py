"""The claims ledger as `aoud-tracker claims` shows it: JSON for scripts, tables for people.

Both views are built from one `LedgerView`, so what a script reads and what a person sees cannot
drift apart. Spoiler plot lines are left out of both unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.table import Table

from aoud_tracker.ledger import CastLedger, ReleaseLedger, Said, Window

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console

KINDS = ("release_date", "cast", "plot")


@dataclass(frozen=True)
class LedgerView:
    """What the ledger holds for one topic, and which parts of it to show."""

    release: ReleaseLedger
    cast: CastLedger
    plot: list[tuple[str, bool, Said]]
    kinds: tuple[str, ...]
    spoilers: bool

    @property
    def shown_plot(self) -> list[tuple[str, bool, Said]]:
        return [line for line in self.plot if self.spoilers or not line[1]]


def report_json(view: LedgerView) -> dict[str, Any]:
    """The ledger as plain data: every window and claim with its sources and their sentences."""
    report: dict[str, Any] = {}
    if "release_date" in view.kinds:
        release = view.release
        report["release_date"] = {
            "official": _window_json(release.official),
            "best": _window_json(release.best),
            "timeline": [_window_json(w) for w in release.timeline],
            "contradictions": [_window_json(w) for w in release.contradictions],
            "track_record": {
                site: {"claims": made, "contradicted": wrong}
                for site, (made, wrong) in release.track_record.items()
            },
        }
    if "cast" in view.kinds:
        report["cast"] = {
            "members": [
                {"actor": m.actor, "character": m.character, "status": m.status, "disputed": m.disputed,
                 "sources": [_said_json(s) for s in m.sources]}
                for m in view.cast.members
            ],
            "contradictions": [
                {"problem": what, **_said_json(said)} for what, said in view.cast.contradictions
            ],
        }  # fmt: skip
    if "plot" in view.kinds:
        report["plot"] = [
            {"sentence": sentence, "spoiler": spoiler, **_said_json(said)}
            for sentence, spoiler, said in view.shown_plot
        ]
    return report


def print_report(view: LedgerView, console: Console) -> None:
    """The ledger as a person reads it: the answer first, then how it moved and who disagrees."""
    if not (view.release.timeline or view.cast.members or view.plot):
        console.print("No claims in the store yet. Run `aoud-tracker run` first.", markup=False)
        return
    if "release_date" in view.kinds:
        _print_release(view.release, console)
    if "cast" in view.kinds:
        _print_cast(view.cast, console)
    if "plot" in view.kinds:
        _print_plot(view, console)


def _print_release(release: ReleaseLedger, console: Console) -> None:
    console.print("RELEASE DATE", style="bold")
    console.print(f"  official: {_summary(release.official) if release.official else 'none yet'}")
    if release.best is not release.official:
        console.print(f"  best answer: {_summary(release.best) if release.best else 'nothing claimed yet'}")
    if release.timeline:
        timeline = Table(title="How the claims moved", title_justify="left")
        for column in ("first said", "window", "hedge", "sources", "sites"):
            timeline.add_column(column, overflow="fold")
        for window in release.timeline:
            timeline.add_row(
                iso(window.first_said),
                window.label,
                window.hedge,
                str(len(window.sources)),
                _sites(window.sources),
            )
        console.print(timeline)
    for window in release.contradictions:
        console.print(
            f"  contradicted by the official window: {window.label} ({_sites(window.sources)})",
            soft_wrap=True,
        )
    if release.track_record:
        record = Table(title="Track record: release windows later contradicted", title_justify="left")
        for column in ("site", "windows claimed", "contradicted"):
            record.add_column(column)
        ranked = sorted(release.track_record.items(), key=lambda item: (-item[1][1], item[0]))
        for site, (made, wrong) in ranked:
            record.add_row(site, str(made), str(wrong))
        console.print(record)


def _print_cast(cast: CastLedger, console: Console) -> None:
    console.print("CAST", style="bold")
    table = Table(show_header=True)
    for column in ("status", "actor", "character", "sources", "disputed"):
        table.add_column(column, overflow="fold")
    for member in cast.members:
        table.add_row(
            member.status,
            member.actor,
            member.character or "",
            str(len(member.sources)),
            "; ".join(member.disputed),
        )
    console.print(table)
    for what, said in cast.contradictions:
        console.print(
            f"  contradiction: {what} ({said.site}, {iso(said.as_of)})", highlight=False, soft_wrap=True
        )


def _print_plot(view: LedgerView, console: Console) -> None:
    console.print("PLOT", style="bold")
    for sentence, spoiler, said in view.shown_plot:
        flag = "[spoiler] " if spoiler else ""
        console.print(
            f"  {flag}{sentence} ({said.site}, {iso(said.as_of)})",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    hidden = len(view.plot) - len(view.shown_plot)
    if hidden:
        console.print(f"  ({hidden} spoiler claim(s) hidden; --spoilers shows them)", markup=False)


def _summary(window: Window) -> str:
    count = len(window.sources)
    return f"{window.label} ({window.hedge}), {count} source(s), last said {iso(window.last_said)}"


def _sites(sources: list[Said]) -> str:
    return ", ".join(sorted({said.site for said in sources}))


def _window_json(window: Window | None) -> dict[str, Any] | None:
    if window is None:
        return None
    return {
        "start": iso(window.start), "end": iso(window.end), "precision": window.precision,
        "label": window.label, "hedge": window.hedge, "first_said": iso(window.first_said),
        "last_said": iso(window.last_said), "sources": [_said_json(s) for s in window.sources],
    }  # fmt: skip


def _said_json(said: Said) -> dict[str, Any]:
    return {"site": said.site, "url": said.url, "as_of": iso(said.as_of), "sentence": said.sentence,
            "official": said.official}  # fmt: skip


def iso(value: date | None) -> str | None:
    """A date or datetime as ISO 8601 text for JSON; None stays None."""
    return value.isoformat() if value else None
