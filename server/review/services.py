"""Writes of review: state changes, comments, bulk approval, the counting rule, and what
happens when a submission arrives (its review row, closing a send-back loop).

Services take keyword-only arguments, run in one transaction and raise
review.exceptions. Every change is recorded in the audit log.
"""

from functools import cache

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.scopes import is_district_admin
from audit.models import AuditAction
from audit.services import audit_record, audit_record_many
from collect.models import Submission
from config import sql
from registry.models import Town
from review import selectors
from review.exceptions import (
    CommentEmpty,
    InvalidTransition,
    NoticeNotFound,
    ReviewForbidden,
    SubmissionNotCurrent,
)
from review.models import Notice, NoticeKind, Review, ReviewComment, ReviewPolicy
from review.states import SENT_BACK, TRANSITIONS, ReviewState, transition_allowed

COMMENT_MAX_LENGTH = 2000


def _indicators_stale(submissions: QuerySet[Submission]) -> None:
    """Mark what the indicators are computed from as changed.

    The indicators app recomputes when its data fingerprint changes, and that watches the
    submissions' ``updated_at`` (indicators.selectors.data_fingerprint; ``publish_indicators
    --watch`` also re-follows the registry for submissions updated since). A review decision
    changes what counts, so it touches the submissions it decided on.
    """
    submissions.update(updated_at=timezone.now())


def _review_locked(submission: Submission) -> Review:
    review, _ = Review.objects.select_for_update().get_or_create(submission=submission)
    return review


def _state_set(
    *, submission: Submission, user: User, state: str, comment: str
) -> tuple[Review, ReviewComment]:
    if not selectors.user_may_review(user=user, submission=submission):
        raise ReviewForbidden()
    # Locked and read again: an edit arriving now makes this version history (collect takes
    # the same row lock), and a decision on history would count nothing.
    current = (
        Submission.objects.select_for_update()
        .filter(pk=submission.pk)
        .values_list("is_current", flat=True)
        .first()
    )
    if not current:
        raise SubmissionNotCurrent()
    review = _review_locked(submission)
    if not transition_allowed(review.state, state):
        raise InvalidTransition(f"不能从“{ReviewState(review.state).label}”改为“{_label(state)}”")
    previous = review.state
    review.state = state
    review.changed_by = user
    review.changed_at = timezone.now()
    review.save(update_fields=["state", "changed_by", "changed_at"])
    entry = ReviewComment.objects.create(
        submission=submission, author=user, body=comment, state_from=previous, state_to=state
    )
    _indicators_stale(Submission.objects.filter(pk=submission.pk))
    _notices_on_state(submission=submission, state=state, comment=comment)
    audit_record(
        action=AuditAction.REVIEW_STATE,
        target=submission,
        user=user,
        changes={"state": [previous, state], "comment": comment},
    )
    return review, entry


def _notices_on_state(*, submission: Submission, state: str, comment: str) -> None:
    """Sending back tells the sender; leaving the sent-back states settles their notice."""
    if state in SENT_BACK:
        if submission.submitted_by_id is not None:
            Notice.objects.create(
                recipient_id=submission.submitted_by_id,
                kind=NoticeKind.SENT_BACK,
                submission=submission,
                state=state,
                comment=comment,
            )
    else:
        _sent_back_notices_settle(submission_ids=[submission.pk])


def _sent_back_notices_settle(*, submission_ids: list[int]) -> None:
    Notice.objects.filter(
        kind=NoticeKind.SENT_BACK, submission_id__in=submission_ids, read_at__isnull=True
    ).update(read_at=timezone.now())


def _label(state: str) -> str:
    return ReviewState(state).label if state in ReviewState.values else state


def _comment_checked(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise CommentEmpty(f"意见不能超过 {COMMENT_MAX_LENGTH} 字")
    return comment


def submission_review(
    *, submission: Submission, user: User, state: str, comment: str = ""
) -> Review:
    """Set the review state of a current submission version, with an optional comment.

    Sending back (有问题/已驳回) needs a comment: the collector has to know what to redo.
    """
    comment = _comment_checked(comment)
    if state not in ReviewState.values:
        raise InvalidTransition(f"未知的审核状态：{str(state)[:30]}")
    if state in SENT_BACK and not comment:
        raise CommentEmpty("退回（有问题/驳回）时请填写意见，采集人员会看到")
    with transaction.atomic():
        review, _ = _state_set(submission=submission, user=user, state=state, comment=comment)
    return review


def submission_comment(*, submission: Submission, user: User, body: str) -> ReviewComment:
    """Add to a submission's thread: reviewers of its town, and whoever sent it."""
    body = _comment_checked(body)
    if not body:
        raise CommentEmpty()
    if submission.submitted_by_id != user.pk and not selectors.user_may_review(
        user=user, submission=submission
    ):
        raise ReviewForbidden("您不能对该提交发表意见")
    with transaction.atomic():
        entry = ReviewComment.objects.create(submission=submission, author=user, body=body)
        audit_record(
            action=AuditAction.REVIEW_COMMENT,
            target=submission,
            user=user,
            changes={"comment": body},
        )
    return entry


APPROVE_CHUNK = 500


def submissions_approve(*, submissions: QuerySet[Submission], user: User, comment: str = "") -> int:
    """Approve every current submission of ``submissions`` that this user may review and
    whose state allows it; returns how many changed. Others are left as they are.

    One transaction, set-wise per chunk of APPROVE_CHUNK: the same checks, rows, comments,
    notices and audit entries as submission_review gives each, without its per-row queries
    (a town's whole filtered queue is one request). Locks are taken as there: the
    submission rows (is_current read again under the lock, as collect takes it for an
    edit), then their review rows.
    """
    comment = _comment_checked(comment)
    if not selectors.user_is_reviewer(user):
        raise ReviewForbidden()
    approvable = [s for s, targets in TRANSITIONS.items() if ReviewState.APPROVED in targets]
    candidates = list(
        selectors.reviewable_list_for_user(user=user)
        .filter(pk__in=submissions.values("pk"), is_current=True, review__state__in=approvable)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    with transaction.atomic():
        for start in range(0, len(candidates), APPROVE_CHUNK):
            count += _approve_chunk(
                ids=candidates[start : start + APPROVE_CHUNK],
                user=user,
                comment=comment,
                approvable=approvable,
            )
    return count


def _approve_chunk(*, ids: list[int], user: User, comment: str, approvable: list[str]) -> int:
    current = set(
        Submission.objects.select_for_update()
        .filter(pk__in=ids, is_current=True)
        .values_list("pk", flat=True)
    )
    reviews = dict(
        Review.objects.select_for_update()
        .filter(submission_id__in=current, state__in=approvable)
        .values_list("submission_id", "state")
    )
    if not reviews:
        return 0
    decided = sorted(reviews)
    now = timezone.now()
    Review.objects.filter(submission_id__in=decided).update(
        state=ReviewState.APPROVED, changed_by=user, changed_at=now
    )
    ReviewComment.objects.bulk_create(
        ReviewComment(
            submission_id=pk,
            author=user,
            body=comment,
            state_from=reviews[pk],
            state_to=ReviewState.APPROVED,
        )
        for pk in decided
    )
    approved = Submission.objects.filter(pk__in=decided)
    _indicators_stale(approved)
    _sent_back_notices_settle(submission_ids=decided)
    audit_record_many(
        action=AuditAction.REVIEW_STATE,
        user=user,
        entries=(
            (
                submission,
                {"state": [reviews[submission.pk], ReviewState.APPROVED], "comment": comment},
            )
            for submission in approved.select_related("form").order_by("pk")
        ),
    )
    return len(decided)


def review_policy_set(*, town: Town, counting: str, user: User) -> ReviewPolicy:
    """Change which submissions of ``town`` count: district admins, or its own officials."""
    if not selectors.user_is_reviewer(user) or (
        user.town_id != town.pk and not is_district_admin(user)
    ):
        raise ReviewForbidden("您不能修改该镇的计入规则")
    with transaction.atomic():
        policy, _ = ReviewPolicy.objects.select_for_update().get_or_create(town=town)
        previous = policy.counting
        policy.counting = counting
        policy.full_clean()
        policy.save()
        audit_record(
            action=AuditAction.REVIEW_POLICY,
            target=policy,
            user=user,
            changes={"counting": [previous, counting]},
        )
        _indicators_stale(
            Submission.objects.filter(
                Q(admin_village__town=town) | Q(admin_village=None, submitted_by__town=town)
            )
        )
    return policy


def notices_mark_read(*, user: User, ids: list[int] | None = None, read: bool = True) -> int:
    """Mark the user's notices read (or unread again); ``ids=None`` means all of them.

    Any id that is not one of the user's own notices refuses the whole request
    (NoticeNotFound) and changes nothing.
    """
    notices = selectors.notice_list_for_user(user=user)
    if ids is not None:
        wanted = set(ids)
        notices = notices.filter(pk__in=wanted)
        if notices.count() != len(wanted):
            raise NoticeNotFound()
    if read:
        return notices.filter(read_at__isnull=True).update(read_at=timezone.now())
    return notices.exclude(read_at__isnull=True).update(read_at=None)


def queue_notices_seen(*, user: User) -> int:
    """全部标为已读 above the review queue: the reviewer's 整改已提交 notices."""
    return selectors.queue_notice_list_for_user(user=user).update(read_at=timezone.now())


def _send_back_question(submission: Submission) -> tuple[str, list] | None:
    """Whether a sent-back review that ``submission`` would redo exists: the same rule as
    review_on_receipt's query, as a plain indexed SQL expression (no ORM compilation) that
    the review row's INSERT evaluates, so the usual arrival, with nothing to close, asks
    it without a statement of its own. None: the submission can redo nothing."""
    if submission.replaces_id:
        kind, params = "edit", [submission.replaces_id]
    elif submission.facility_id:
        kind, params = "facility", [submission.form_id, True, submission.facility_id]
    elif submission.water_body_id:
        kind, params = "water_body", [submission.form_id, True, submission.water_body_id]
    else:
        return None
    return _send_back_sql(sql.vendor(), kind), params


_SENT_BACK = sorted(SENT_BACK)
# The states are written into the statement: with them as parameters PostgreSQL cannot tell
# how few reviews match and plans the prepared statement anew on every run.
assert all(state.isidentifier() and state.islower() for state in _SENT_BACK)


@cache
def _send_back_sql(vendor: str, kind: str) -> str:
    scope = {
        "edit": "s.id = %s",
        "facility": "s.form_id = %s AND s.is_current = %s AND s.facility_id = %s",
        "water_body": "s.form_id = %s AND s.is_current = %s AND s.water_body_id = %s",
    }[kind]
    # The new review row is never sent back, so whether the subquery sees it does not matter.
    return (
        f"EXISTS (SELECT 1 FROM {sql.table(Review)} r"
        f" JOIN {sql.table(Submission)} s ON s.id = r.submission_id"
        f" WHERE r.state IN ({', '.join(repr(str(state)) for state in _SENT_BACK)})"
        " AND r.redone_by_id IS NULL"
        f" AND {scope})"
    )


def review_on_receipt(*, submission: Submission) -> Review:
    """Give a newly stored submission its review row and close any send-back it redoes.

    Called inside submission_receive's transaction (collect's post_save). An edit starts as
    已编辑; a new submission as 已接收. The version it replaces, or the sent-back current
    submission of the same form about the same facility or water body, counts as redone.
    """
    state = ReviewState.EDITED if submission.replaces_id else ReviewState.RECEIVED
    review = Review(submission=submission, state=state)
    question = _send_back_question(submission)
    if question is None:
        sql.insert(review)
        return review
    if not sql.insert_returning(review, *question):
        return review  # the usual case: nothing sent back that this submission could redo
    redone = Review.objects.filter(state__in=SENT_BACK, redone_by__isnull=True)
    if submission.replaces_id:
        redone = redone.filter(submission_id=submission.replaces_id)
    elif submission.facility_id or submission.water_body_id:
        redone = redone.filter(submission__form_id=submission.form_id, submission__is_current=True)
        if submission.facility_id:
            redone = redone.filter(submission__facility_id=submission.facility_id)
        else:
            redone = redone.filter(submission__water_body_id=submission.water_body_id)
    else:
        redone = redone.none()
    for earlier in redone.select_related("submission__admin_village__town", "changed_by"):
        earlier.redone_by = submission
        earlier.save(update_fields=["redone_by"])
        recipients = selectors.notice_recipients_redone(
            review_changed_by=earlier.changed_by,
            town=selectors.submission_town(submission=earlier.submission),
        )
        Notice.objects.bulk_create(
            Notice(
                recipient=recipient,
                kind=NoticeKind.REDONE,
                submission=earlier.submission,
                redone_by=submission,
                state=earlier.state,
            )
            for recipient in recipients
        )
        _sent_back_notices_settle(submission_ids=[earlier.submission_id])
    return review
