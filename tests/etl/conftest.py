"""The ETL tests are pure pandas: no database, no Django."""

import pytest

from etl.extract import data_dictionary_read


@pytest.fixture(scope="session")
def dictionary():
    """The committed data dictionary (docs/forms/data_dictionary.csv)."""
    return data_dictionary_read()
