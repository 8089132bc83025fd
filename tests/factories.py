"""Builders for tests: real sites through the real provisioning service."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from sitegroup.registry.models import SiteRole
from sitegroup.registry.roles import site_group
from sitegroup.registry.services import SiteSpec, provision_site

_serial = itertools.count(1)

SITE_DEFAULTS = {
    "portal": dict(name="中国九江", code="jiujiang", hostname="jiujiang.localhost", region="3604"),
    "county": dict(name="修水县", code="xiushui", hostname="xiushui.localhost", region="3604"),
    "department": dict(name="九江市教育局", code="jyj", hostname="jyj.localhost", region="3604"),
}


def make_site(kind="county", *, name=None, code=None, hostname=None, port=80, **extra):
    base = SITE_DEFAULTS[kind]
    n = next(_serial)
    spec = SiteSpec(
        name=name or base["name"],
        code=code or base["code"],
        hostname=hostname or base["hostname"],
        port=port,
        kind=kind,
        organiser=f"{name or base['name']}人民政府办公室",
        operator=f"{name or base['name']}信息中心",
        site_id_code=extra.pop("site_id_code", f"{base['region']}{n:06d}"),
        icp_number=extra.pop("icp_number", "赣ICP备05004431号"),
        police_number=extra.pop("police_number", f"赣公网安备 3604020200{n:04d}号"),
        phone=extra.pop("phone", "0792-8582345"),
        email=extra.pop("email", "web@jiujiang.gov.cn"),
        address=extra.pop("address", "江西省九江市濂溪区长虹大道"),
        leader=extra.pop("leader", "张明"),
        responsible_person=extra.pop("responsible_person", "李华"),
        is_default_site=extra.pop("is_default_site", kind == "portal"),
        **extra,
    )
    return provision_site(spec)


def column(profile, slug):
    from sites.models import ColumnPage

    return ColumnPage.objects.descendant_of(profile.site.root_page).get(slug=slug)


def make_article(parent, title, *, body="正文内容。", date=None, publish=True, user=None, **fields):
    from sites.models import ArticlePage

    article = ArticlePage(
        title=title,
        date=date or datetime.date(2026, 11, 1),
        body=[("paragraph", f"<p>{body}</p>")],
        owner=user,
        live=False,
        **fields,
    )
    parent.add_child(instance=article)
    revision = article.save_revision(user=user)
    if publish:
        revision.publish(user=user)
        article.refresh_from_db()
    return article


def make_user(username, profile=None, role=None, *, superuser=False, groups=()):
    User = get_user_model()
    user = User.objects.create_user(
        username=username, password="pw-" + username, email=f"{username}@example.gov.cn",
        is_superuser=superuser, is_staff=superuser,
    )
    if profile is not None and role is not None:
        user.groups.add(site_group(profile, SiteRole(role)))
    for group in groups:
        user.groups.add(group)
    return user


def png_bytes(size=(40, 30), color=(200, 30, 30)):
    import io

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def make_image(collection, title="图片", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images import get_image_model

    image = get_image_model()(
        title=title, collection=collection,
        file=SimpleUploadedFile("pic.png", png_bytes(), content_type="image/png"), **fields,
    )
    image.save()
    return image


def make_document(collection, title="附件", content=b"%PDF-1.4\n%test\n", filename="doc.pdf"):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model()(title=title, collection=collection)
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


def ensure_wagtail_tree():
    """Recreate what Wagtail's data migrations provide (root page, root collection,
    default locale) after a transactional test has flushed the database."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="九江市政府网站群", slug="root", locale=locale, live=True))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="九江市政府网站群")


def change_site(profile, **fields):
    """Change a site's filing record through the registry, as 站点管理 and approved filings do."""
    from sitegroup.registry.services import spec_from_profile, update_site

    spec = spec_from_profile(profile)
    for name, value in fields.items():
        setattr(spec, name, value)
    return update_site(profile, spec)
