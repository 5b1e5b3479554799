"""Reads of review: who may review what, the queue, the collector's 待整改 list."""

import datetime as dt

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from accounts.scopes import is_district_admin
from collect.models import Submission
from collect.selectors import submission_list_for_user
from registry.models import Town
from review.models import CountingRule, Notice, NoticeKind, ReviewComment, ReviewPolicy
from review.states import SENT_BACK


def user_is_reviewer(user: User) -> bool:
    """Town officials review their town; district administrators every town."""
    return is_district_admin(user) or (
        user.is_authenticated and user.role == Role.TOWN_OFFICIAL and user.town_id is not None
    )


def reviewable_list_for_user(*, user: User) -> QuerySet[Submission]:
    """Submissions this user may review: none unless a reviewer, else those they may see."""
    if not user_is_reviewer(user):
        return Submission.objects.none()
    return submission_list_for_user(user=user).select_related("review")


def user_may_review(*, user: User, submission: Submission) -> bool:
    return reviewable_list_for_user(user=user).filter(pk=submission.pk).exists()


def review_queue(
    *,
    user: User,
    form_id: str = "",
    state: str = "",
    village: str = "",
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
) -> QuerySet[Submission]:
    """Current versions this reviewer may review, filtered; oldest waiting first."""
    submissions = reviewable_list_for_user(user=user).filter(is_current=True)
    if form_id:
        submissions = submissions.filter(form__form_id=form_id)
    if state:
        submissions = submissions.filter(review__state=state)
    if village:
        submissions = submissions.filter(
            Q(admin_village__code=village) | Q(natural_village__code=village)
        )
    if received_from:
        submissions = submissions.filter(received_at__date__gte=received_from)
    if received_to:
        submissions = submissions.filter(received_at__date__lte=received_to)
    return submissions.order_by("received_at", "pk")


def rework_list_for_user(*, user: User) -> QuerySet[Submission]:
    """The user's own submissions sent back to them and not yet redone (我的待整改)."""
    if not user.is_authenticated:
        return Submission.objects.none()
    return (
        Submission.objects.filter(
            submitted_by=user,
            is_current=True,
            review__state__in=SENT_BACK,
            review__redone_by__isnull=True,
        )
        .select_related("form", "review", "facility", "water_body", "admin_village")
        .prefetch_related("review_comments__author")
        .order_by("-review__changed_at")
    )


def rework_codes_for_user(*, user: User) -> tuple[set[str], set[str]]:
    """(facility codes, water body codes) the user has to redo, for the phone's lists."""
    rows = rework_list_for_user(user=user).values_list("facility__code", "water_body__code")
    facilities = {facility for facility, _ in rows if facility}
    water_bodies = {water_body for _, water_body in rows if water_body}
    return facilities, water_bodies


def comment_list(*, submission: Submission) -> QuerySet[ReviewComment]:
    """The thread of this instance across its versions, oldest first."""
    versions = [submission.pk]
    earlier = submission.replaces
    while earlier is not None:
        versions.append(earlier.pk)
        earlier = earlier.replaces
    return ReviewComment.objects.filter(submission_id__in=versions).select_related(
        "author", "submission"
    )


def version_list(*, submission: Submission) -> list[Submission]:
    """Every version of this instance, newest first (the edit chain both ways)."""
    newest = submission
    while True:
        later = Submission.objects.filter(replaces=newest).first()
        if later is None:
            break
        newest = later
    versions = [newest]
    while versions[-1].replaces_id is not None:
        versions.append(
            Submission.objects.select_related("review").get(pk=versions[-1].replaces_id)
        )
    return versions


def notice_list_for_user(
    *, user: User, unread_only: bool = False, kind: str = ""
) -> QuerySet[Notice]:
    """The user's own notices, newest first; nobody sees anyone else's."""
    if not user.is_authenticated:
        return Notice.objects.none()
    notices = Notice.objects.filter(recipient=user).select_related(
        "submission__form",
        "submission__facility",
        "submission__water_body",
        "redone_by__submitted_by",
    )
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    if kind:
        notices = notices.filter(kind=kind)
    return notices


def queue_notice_list_for_user(*, user: User) -> QuerySet[Notice]:
    """The reviewer's unread 整改已提交 notices, shown above the review queue."""
    return notice_list_for_user(user=user, unread_only=True, kind=NoticeKind.REDONE)


def notice_recipients_redone(*, review_changed_by: User | None, town: Town | None) -> list[User]:
    """Who hears that a sent-back submission was redone: the town's active officials and
    whoever sent it back."""
    recipients = []
    if town is not None:
        recipients = list(
            User.objects.filter(role=Role.TOWN_OFFICIAL, town=town, is_active=True).order_by("pk")
        )
    known = {user.pk for user in recipients}
    if review_changed_by is not None and review_changed_by.is_active:
        recipients += [] if review_changed_by.pk in known else [review_changed_by]
    return recipients


def submission_town(*, submission: Submission) -> Town | None:
    if submission.admin_village_id is not None:
        return submission.admin_village.town
    return submission.submitted_by.town


def counting_rule_for_town(*, town: Town | None) -> str:
    if town is None:
        return CountingRule.ALL_BUT_REJECTED
    policy = ReviewPolicy.objects.filter(town=town).first()
    return policy.counting if policy else CountingRule.ALL_BUT_REJECTED
