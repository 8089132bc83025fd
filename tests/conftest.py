import pytest
from django.core.cache import cache

from tests.factories import make_site, make_user


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


@pytest.fixture
def people(county):
    return {
        "editor": make_user("xs_editor", county, "editor"),
        "reviewer": make_user("xs_reviewer", county, "reviewer"),
        "reviewer2": make_user("xs_reviewer2", county, "final_reviewer"),
        "admin": make_user("xs_admin", county, "admin"),
    }
