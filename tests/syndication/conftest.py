import pytest

from sitegroup.syndication.models import Intake
from tests.factories import column, make_article, make_user
from tests.publishing.conftest import publishing, targets_dirs  # noqa: F401 - static publishing, for copies


@pytest.fixture
def intake(portal):
    """The portal's 要闻动态 column takes submissions, with its own review (the default)."""
    return Intake.objects.create(column=column(portal, "ywdt"))


@pytest.fixture
def quick_intake(portal):
    """The portal's 通知公告 column publishes accepted items at once."""
    return Intake.objects.create(column=column(portal, "tzgg"), review_required=False)


@pytest.fixture
def portal_people(portal):
    return {
        "editor": make_user("jj_editor", portal, "editor"),
        "reviewer": make_user("jj_reviewer", portal, "reviewer"),
        "reviewer2": make_user("jj_reviewer2", portal, "final_reviewer"),
        "admin": make_user("jj_admin", portal, "admin"),
    }


@pytest.fixture
def story(county, people):
    return make_article(column(county, "ywdt"), "修水县召开秋冬季森林防火工作会议", body="会议部署森林防火工作。",
                        summary="部署防火。")
