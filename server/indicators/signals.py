"""Keep ``TidyBlock`` in step with ``TidyRow`` when a submission is deleted: its rows go with
it (``on_delete=CASCADE``, no ``etl.store.refresh`` involved), so the blocks holding them are
emptied first, in the same transaction, and rebuilt at the next refresh."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver


@receiver(pre_delete, sender="collect.Submission", dispatch_uid="tidy-blocks-submission-delete")
def tidy_blocks_follow_delete(sender, instance, **kwargs) -> None:
    from etl import store_blocks
    from indicators.models import TidyRow

    store_blocks.stale_mark_rows(TidyRow.objects.filter(submission_id=instance.pk))
