"""Notices per person (review.models.Notice) replace the per-town ReviewNotice.

Existing town notices go to the town's active officials and whoever sent the submission
back, read if the town notice was; every open send-back gets its notice to the sender."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


SENT_BACK = ("has_issues", "rejected")


def notices_per_person(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Review = apps.get_model("review", "Review")
    ReviewComment = apps.get_model("review", "ReviewComment")
    ReviewNotice = apps.get_model("review", "ReviewNotice")
    Notice = apps.get_model("review", "Notice")
    for old in ReviewNotice.objects.order_by("pk").iterator():
        review = Review.objects.filter(submission_id=old.submission_id).first()
        recipients = {
            user.pk
            for user in User.objects.filter(role="town_official", town_id=old.town_id, is_active=True)
        }
        if review is not None and review.changed_by_id is not None:
            recipients.add(review.changed_by_id)
        for recipient in sorted(recipients):
            notice = Notice.objects.create(
                recipient_id=recipient,
                kind="redone",
                submission_id=old.submission_id,
                redone_by_id=old.redone_by_id,
                state=review.state if review is not None else "",
                read_at=old.seen_at,
            )
            Notice.objects.filter(pk=notice.pk).update(created_at=old.created_at)
    open_loops = Review.objects.filter(
        state__in=SENT_BACK,
        redone_by__isnull=True,
        submission__is_current=True,
        submission__submitted_by__isnull=False,
    ).select_related("submission")
    for review in open_loops.iterator():
        decision = (
            ReviewComment.objects.filter(submission_id=review.submission_id, state_to=review.state)
            .order_by("-created_at", "-pk")
            .first()
        )
        notice = Notice.objects.create(
            recipient_id=review.submission.submitted_by_id,
            kind="sent_back",
            submission_id=review.submission_id,
            state=review.state,
            comment=decision.body if decision is not None else "",
        )
        Notice.objects.filter(pk=notice.pk).update(created_at=review.changed_at)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_loginlock_all_addresses'),
        ('collect', '0001_initial'),
        ('review', '0002_reviews_for_existing_submissions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Notice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('sent_back', '提交被退回'), ('redone', '整改已提交')], max_length=20, verbose_name='类型')),
                ('state', models.CharField(blank=True, choices=[('received', '已接收'), ('has_issues', '有问题'), ('approved', '已核准'), ('rejected', '已驳回'), ('edited', '已编辑')], max_length=20, verbose_name='审核状态')),
                ('comment', models.TextField(blank=True, verbose_name='审核意见')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
                ('redone_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='collect.submission', verbose_name='整改提交')),
                ('submission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='collect.submission', verbose_name='原提交')),
            ],
            options={
                'verbose_name': '通知',
                'verbose_name_plural': '通知',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.RunPython(notices_per_person, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='ReviewNotice',
        ),
        migrations.AddIndex(
            model_name='notice',
            index=models.Index(fields=['recipient', 'read_at'], name='notice_recipient_unread'),
        ),
    ]
