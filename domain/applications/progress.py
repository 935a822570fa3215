"""A case's progress as its pages show it: the visible steps and the outcome, read with no transaction open."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.applications.outcomes import Outcome
from domain.applications.submission import STARTING
from domain.engine import EngineError
from domain.engine.cases import CaseGateway
from domain.engine.history import HistoryReader, Step


@dataclass(frozen=True)
class Progress:
    steps: list[Step] = field(default_factory=list)
    outcome: str | None = None  # in words, once the case has one
    problem: str = ""  # why the engine could not be read now

    @property
    def readable(self) -> bool:
        return not self.problem


def started(process_instance_id: str | None) -> bool:
    """Whether the application's case runs (not none yet, nor only being started)."""
    return bool(process_instance_id) and not process_instance_id.startswith(STARTING)


def asks_for_supplement(cases: CaseGateway, case: Progress, process_instance_id: str | None) -> bool:
    """Whether the case waits for materials now (R2, R5): the page then offers its supplement form. An engine
    that cannot be read asks for nothing (the page says the progress cannot be read)."""
    if not (case.readable and started(process_instance_id)):
        return False
    try:
        return cases.waits_for_supplement(process_instance_id)
    except EngineError:
        return False


def progress(history: HistoryReader, process_instance_id: str | None) -> Progress:
    """The case's steps and outcome; an engine that cannot be read is said, never an error page."""
    if not started(process_instance_id):
        return Progress()
    try:
        code = history.outcome(process_instance_id)
        return Progress(history.timeline(process_instance_id), Outcome.from_code(code).text if code else None)
    except EngineError as exc:
        return Progress(problem=f"办理进度暂时无法读取：{exc}")
