"""Every submission gets its review row in the transaction that stores it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from collect.models import Submission
from review.services import review_on_receipt


@receiver(post_save, sender=Submission, dispatch_uid="review-on-receipt")
def _submission_stored(sender, instance: Submission, created: bool, raw=False, **kwargs) -> None:
    if created and not raw:
        review_on_receipt(submission=instance)
