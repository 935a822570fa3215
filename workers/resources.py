"""What handlers share in one worker process: settings, database, calendar, clock, engine gateways."""

from __future__ import annotations

from functools import cache

from domain.calendar import WorkingDayCalendar
from domain.clock import BusinessClock
from domain.config import Settings, load_settings
from domain.db import Database
from domain.engine import EngineClient
from domain.engine.cases import CaseGateway
from domain.engine.history import HistoryReader
from domain.engine.tasks import TaskGateway
from domain.notices.channels import Channel, configured_channels


@cache
def settings() -> Settings:
    return load_settings()


@cache
def database() -> Database:
    return Database(settings().database_url)


@cache
def calendar() -> WorkingDayCalendar:
    return WorkingDayCalendar(settings().calendar_dir)


@cache
def clock() -> BusinessClock:
    return BusinessClock(settings().business_date)


@cache
def engine() -> EngineClient:
    """The engine's REST API as the service account, for what external tasks cannot carry."""
    return EngineClient.as_service(settings().engine)


@cache
def history() -> HistoryReader:
    return HistoryReader(engine())


@cache
def tasks() -> TaskGateway:
    return TaskGateway(engine())


@cache
def cases() -> CaseGateway:
    return CaseGateway(engine())


@cache
def channels() -> dict[str, Channel]:
    """The delivery channels beside the portal inbox (e-mail when SMTP is configured, SMS)."""
    return configured_channels(settings().delivery, settings().engine)
