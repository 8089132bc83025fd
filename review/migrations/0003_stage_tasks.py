"""Review stages become three group-wide tasks whose approvers come from each
page's site (see review.approvers); existing per-site tasks keep working as the
stage their name says, and every site's pages move to the shared workflows."""

import django.db.models.deletion
from django.db import migrations, models


STAGE_LABELS = {"first": "初审", "second": "复审", "final": "终审"}
WORKFLOWS = {2: ("上网信息保密审查（两级）", ["first", "final"]), 3: ("上网信息保密审查（三级）", ["first", "second", "final"])}


def set_stages(apps, schema_editor):
    SecrecyReviewTask = apps.get_model("review", "SecrecyReviewTask")
    for task in SecrecyReviewTask.objects.all():
        if task.final_stage or task.name.endswith("终审"):
            task.stage = "final"
        elif task.name.endswith("复审"):
            task.stage = "second"
        else:
            task.stage = "first"
        task.save(update_fields=["stage"])


def use_shared_workflows(apps, schema_editor):
    SecrecyReviewTask = apps.get_model("review", "SecrecyReviewTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    ContentType = apps.get_model("contenttypes", "ContentType")
    old_tasks = list(SecrecyReviewTask.objects.all())
    if not old_tasks:
        return  # a fresh install: apply_policy builds the shared workflows
    content_type, _ = ContentType.objects.get_or_create(app_label="review", model="secrecyreviewtask")
    shared = {}
    for stage, label in STAGE_LABELS.items():
        shared[stage] = SecrecyReviewTask.objects.create(
            name=label, stage=stage, content_type=content_type, active=True
        )
    workflows = {}
    for stages, (name, order) in WORKFLOWS.items():
        workflow, created = Workflow.objects.get_or_create(name=name, defaults={"active": True})
        if created:
            for index, stage in enumerate(order):
                WorkflowTask.objects.create(workflow=workflow, task=shared[stage], sort_order=index)
        workflows[stages] = workflow
    old_ids = [task.pk for task in old_tasks]
    for link in WorkflowPage.objects.exclude(workflow__in=workflows.values()):
        tasks = WorkflowTask.objects.filter(workflow_id=link.workflow_id, task_id__in=old_ids)
        if tasks.exists():
            link.workflow = workflows[3 if tasks.count() >= 3 else 2]
            link.save()
    # Old per-site workflows stay for the records; submissions already at an
    # old task finish there (it resolves approvers by its stage like the new ones).
    Workflow.objects.filter(workflowtask__task_id__in=old_ids).exclude(
        pk__in=[w.pk for w in workflows.values()]
    ).update(active=False)
    busy = set(TaskState.objects.filter(task_id__in=old_ids, status="in_progress").values_list("task_id", flat=True))
    SecrecyReviewTask.objects.filter(pk__in=set(old_ids) - busy).update(active=False)


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0006_stage_reviewer_roles'),
        ('wagtailcore', '0098_apitoken'),
        ('review', '0002_ledgerentry_ledger_revision_action'),
    ]

    operations = [
        migrations.AddField(
            model_name='secrecyreviewtask',
            name='stage',
            field=models.CharField(choices=[('first', '初审'), ('second', '复审'), ('final', '终审')], default='first', max_length=10, verbose_name='审核环节'),
        ),
        migrations.RunPython(set_stages, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='secrecyreviewtask',
            name='final_stage',
        ),
        migrations.RemoveField(
            model_name='secrecyreviewtask',
            name='groups',
        ),
        migrations.CreateModel(
            name='StageAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first_role', models.CharField(choices=[('reviewer', '审核员'), ('second_reviewer', '复审员'), ('final_reviewer', '终审员'), ('admin', '站点管理员')], default='reviewer', max_length=20, verbose_name='初审')),
                ('second_role', models.CharField(choices=[('reviewer', '审核员'), ('second_reviewer', '复审员'), ('final_reviewer', '终审员'), ('admin', '站点管理员')], default='second_reviewer', help_text='仅用于三级审核的站点或栏目。', max_length=20, verbose_name='复审')),
                ('final_role', models.CharField(choices=[('reviewer', '审核员'), ('second_reviewer', '复审员'), ('final_reviewer', '终审员'), ('admin', '站点管理员')], default='final_reviewer', max_length=20, verbose_name='终审')),
                ('site', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='stage_assignment', to='registry.siteprofile', verbose_name='站点')),
            ],
            options={
                'verbose_name': '审核环节分工',
                'verbose_name_plural': '审核环节分工',
            },
        ),
        migrations.RunPython(use_shared_workflows, migrations.RunPython.noop),
    ]
