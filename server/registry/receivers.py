"""Signal receivers of the registry."""

import logging

from registry.services import registry_follow_submission

logger = logging.getLogger(__name__)


def registry_follow(sender, *, submission, **kwargs) -> None:
    """Update the registry after an accepted submission. The submission is already stored
    and acknowledged; a failure here is logged, never turned into an error for the phone,
    and the next recompute (``manage.py registry_recompute``) repairs it."""
    try:
        registry_follow_submission(submission=submission)
    except Exception:
        logger.exception("registry not updated after submission %s", submission.instance_id)
