"""What the views use, built once per app: database, engine gateways, upload store, intake, calendar, clock."""

from __future__ import annotations

from functools import cached_property

from flask import current_app, request

from domain.applications.intake import Intake
from domain.applications.storage import UploadStore
from domain.calendar import WorkingDayCalendar
from domain.clock import BusinessClock
from domain.config import Settings
from domain.db import Database
from domain.engine import EngineClient
from domain.engine.cases import CaseGateway
from domain.engine.history import HistoryReader
from domain.engine.staff import StaffDirectory
from domain.engine.tasks import TaskGateway


class Resources:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def close(self) -> None:
        """Give the database connections back (a test's app, a process that ends)."""
        if "database" in self.__dict__:
            self.database.dispose()

    @cached_property
    def database(self) -> Database:
        return Database(self.settings.database_url)

    @cached_property
    def engine(self) -> EngineClient:
        return EngineClient.as_service(self.settings.engine)

    @cached_property
    def cases(self) -> CaseGateway:
        return CaseGateway(self.engine)

    @cached_property
    def history(self) -> HistoryReader:
        return HistoryReader(self.engine)

    @cached_property
    def tasks(self) -> TaskGateway:
        return TaskGateway(self.engine)

    @cached_property
    def staff_directory(self) -> StaffDirectory:
        return StaffDirectory(self.engine)

    @cached_property
    def uploads(self) -> UploadStore:
        return UploadStore(self.settings.upload_dir, self.settings.upload_max_bytes)

    @cached_property
    def intake(self) -> Intake:
        return Intake(self.database, self.uploads, self.cases, self.clock, self.settings.upload_daily_quota_bytes)

    @cached_property
    def calendar(self) -> WorkingDayCalendar:
        return WorkingDayCalendar(self.settings.calendar_dir)

    @cached_property
    def clock(self) -> BusinessClock:
        return BusinessClock(self.settings.business_date)


def resources() -> Resources:
    return current_app.extensions["huiqi"]


def client_address() -> str | None:
    return request.remote_addr
