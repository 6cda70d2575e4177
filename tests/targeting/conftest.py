"""Fixtures of the targeting tests."""
from __future__ import annotations

import pytest


@pytest.fixture
def clean_datastore():
    """An empty DataStore database (CKAN's own helper, bound to the DataStore's write
    connection: bound to CKAN's session it would drop the main database's tables)."""
    from sqlalchemy import orm

    from ckanext.datastore.backend.postgres import get_write_engine
    from ckanext.datastore.tests.helpers import clear_db

    clear_db(orm.scoped_session(orm.sessionmaker(bind=get_write_engine())))
