"""Submissions stored before the review app get their review row: 已编辑 for an edit,
已接收 otherwise, as review.services.review_on_receipt gives new ones."""

from django.db import migrations


def reviews_create(apps, schema_editor):
    Submission = apps.get_model("collect", "Submission")
    Review = apps.get_model("review", "Review")
    missing = Submission.objects.filter(review__isnull=True).values_list("pk", "replaces_id")
    Review.objects.bulk_create(
        [
            Review(submission_id=pk, state="edited" if replaces_id else "received")
            for pk, replaces_id in missing.iterator(chunk_size=2000)
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial"), ("collect", "0001_initial")]

    operations = [migrations.RunPython(reviews_create, migrations.RunPython.noop)]
