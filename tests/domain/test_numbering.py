"""Application numbers: readable, per day, never twice."""

import datetime as dt

from domain.applications.numbering import next_application_number


def test_numbers_count_up_per_day(db_session):
    day = dt.date(2031, 3, 2)
    assert next_application_number(db_session, day) == "HQ-20310302-0001"
    assert next_application_number(db_session, day) == "HQ-20310302-0002"
    assert next_application_number(db_session, dt.date(2031, 3, 3)) == "HQ-20310303-0001"
