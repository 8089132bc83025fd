import pytest
from django.core.cache import cache

from tests.factories import make_site


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def portal(db):
    return make_site("portal")


@pytest.fixture
def county(db):
    return make_site("county")


@pytest.fixture
def department(db):
    return make_site("department")
