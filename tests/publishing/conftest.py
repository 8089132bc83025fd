import pytest

from tests.factories import column, make_site


@pytest.fixture
def targets_dirs(tmp_path):
    return {"node1": tmp_path / "node1", "node2": tmp_path / "node2"}


@pytest.fixture
def publishing(settings, targets_dirs):
    """Static publishing on, writing to two local web nodes."""
    settings.STATIC_PUBLISH_ENABLED = True
    settings.STATIC_PUBLISH_RETRY_SECONDS = 0
    settings.STATIC_PUBLISH_TARGETS = {
        name: {"BACKEND": "tests.publishing.storages.FlakyFileSystemStorage",
               "OPTIONS": {"location": str(path)}}
        for name, path in targets_dirs.items()
    }
    from tests.publishing.storages import FlakyFileSystemStorage

    FlakyFileSystemStorage.down = set()
    yield targets_dirs
    FlakyFileSystemStorage.down = set()


@pytest.fixture
def pubsite(db):
    profile = make_site("county", hostname="pub.localhost")
    return profile


@pytest.fixture
def news(pubsite):
    return column(pubsite, "ywdt")
