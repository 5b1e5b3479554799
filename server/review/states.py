"""Review states of a submission and the moves between them, as ODK Central has them.

Pure data: no ORM. `received` and `edited` are set by the server when a submission or an
edit arrives; people move a submission to has_issues, approved or rejected.
"""

from django.db import models


class ReviewState(models.TextChoices):
    RECEIVED = "received", "已接收"
    HAS_ISSUES = "has_issues", "有问题"
    APPROVED = "approved", "已核准"
    REJECTED = "rejected", "已驳回"
    EDITED = "edited", "已编辑"


_DECISIONS = {ReviewState.HAS_ISSUES, ReviewState.APPROVED, ReviewState.REJECTED}

# from-state -> states a reviewer may set. A decision can be revised (an approval withdrawn,
# a rejection reconsidered); nobody sets received/edited by hand.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReviewState.RECEIVED: frozenset(_DECISIONS),
    ReviewState.EDITED: frozenset(_DECISIONS),
    ReviewState.HAS_ISSUES: frozenset({ReviewState.APPROVED, ReviewState.REJECTED}),
    ReviewState.APPROVED: frozenset({ReviewState.HAS_ISSUES, ReviewState.REJECTED}),
    ReviewState.REJECTED: frozenset({ReviewState.HAS_ISSUES, ReviewState.APPROVED}),
}

# States that send the submission back to whoever sent it (我的待整改).
SENT_BACK = frozenset({ReviewState.HAS_ISSUES, ReviewState.REJECTED})
# States waiting for an official (the review queue's default).
AWAITING_REVIEW = frozenset({ReviewState.RECEIVED, ReviewState.EDITED})


def transition_allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
