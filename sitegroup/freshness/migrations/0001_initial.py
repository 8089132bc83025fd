from django.db import migrations, models

DEFAULTS = {"home": 14, "news": 14, "notice": 180, "policy": 180}


def seed(apps, schema_editor):
    Rule = apps.get_model("freshness", "FreshnessRule")
    for kind, days in DEFAULTS.items():
        Rule.objects.get_or_create(kind=kind, defaults={"max_days": days, "amber_days": 3})


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="FreshnessRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("home", "网站首页"), ("news", "要闻动态"), ("notice", "通知公告"), ("policy", "政策文件"), ("disclosure", "信息公开"), ("interaction", "互动交流"), ("topic", "专题"), ("other", "其他")], max_length=20, unique=True, verbose_name="对象")),
                ("max_days", models.PositiveIntegerField(verbose_name="最长未更新天数")),
                ("amber_days", models.PositiveIntegerField(default=3, help_text="距离期限不足该天数时显示黄色。", verbose_name="提前预警天数")),
            ],
            options={"verbose_name": "更新期限", "verbose_name_plural": "更新期限", "ordering": ["max_days"]},
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
