"""HTTP entry points of review: the officials' screens (Django templates), the collector's
待整改 page and the REST API. Views check input, call one service or selector, answer."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from collect.models import Form, Submission
from collect.selectors import submission_list_for_user
from registry.models import AdministrativeVillage
from review import answers, selectors, services
from review.exceptions import ReviewError
from review.models import CountingRule, NoticeKind
from review.serializers import (
    BulkApproveInput,
    CommentInput,
    CommentOutput,
    NoticeOutput,
    NoticeReadInput,
    NoticeUpdateInput,
    ReviewInput,
    ReviewOutput,
)
from review.states import AWAITING_REVIEW, TRANSITIONS, ReviewState

LOGIN_URL = "/api-auth/login/"  # the admin login admits staff only
QUEUE_PAGE_SIZE = 100
AWAITING = "awaiting"


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _queue_filters(query) -> dict:
    state = query.get("state", AWAITING)
    return {
        "form_id": query.get("form", "")[:100],
        "state": state if state in ReviewState.values or state in ("", AWAITING) else AWAITING,
        "village": query.get("village", "")[:20],
        "received_from": _date(query.get("from", "")),
        "received_to": _date(query.get("to", "")),
    }


def _queue(user, filters: dict):
    state = filters["state"]
    submissions = selectors.review_queue(
        user=user, **{**filters, "state": "" if state == AWAITING else state}
    )
    if state == AWAITING:
        submissions = submissions.filter(review__state__in=AWAITING_REVIEW)
    return submissions


def _filter_query(filters: dict) -> str:
    """The filters as a query string (no page number), for page links and redirects."""
    query = QueryDict(mutable=True)
    for name, key in (("form", "form_id"), ("state", "state"), ("village", "village")):
        query[name] = filters[key]
    for name, key in (("from", "received_from"), ("to", "received_to")):
        query[name] = filters[key].isoformat() if filters[key] else ""
    return query.urlencode()


def _int_or_none(value: str) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _reviewer_required(request: HttpRequest) -> None:
    if not selectors.user_is_reviewer(request.user):
        raise PermissionDenied("只有镇级管理人员和区级管理员可以审核")


@login_required(login_url=LOGIN_URL)
def queue_page(request: HttpRequest) -> HttpResponse:
    """The review queue with filters, QUEUE_PAGE_SIZE rows a page (?page=N keeps the
    filters); bulk approval acts on every page of the same filters."""
    _reviewer_required(request)
    filters = _queue_filters(request.GET)
    submissions = _queue(request.user, filters)
    page = Paginator(submissions, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    town = request.user.town
    return render(
        request,
        "review/queue.html",
        {
            "page": page,
            "submissions": page.object_list,
            "total": page.paginator.count,
            # Bulk approval covers what the official saw listed: nothing received later.
            "upto": submissions.order_by("-pk").values_list("pk", flat=True).first(),
            "filters": filters,
            "filter_query": _filter_query(filters),
            "forms": Form.objects.order_by("form_id"),
            "villages": AdministrativeVillage.objects.filter(
                pk__in=submission_list_for_user(user=request.user).values("admin_village")
            ).order_by("code"),
            "states": [(AWAITING, "待审核（已接收/已编辑）"), ("", "全部"), *ReviewState.choices],
            "notices": selectors.queue_notice_list_for_user(user=request.user)[:50],
            "town": town,
            "counting": selectors.counting_rule_for_town(town=town),
            "counting_choices": CountingRule.choices,
        },
    )


@require_POST
@login_required(login_url=LOGIN_URL)
def queue_approve(request: HttpRequest) -> HttpResponse:
    """Approve every submission of the filtered queue, on all its pages, that was listed
    when the page was shown (``upto``: the highest id then; later arrivals wait)."""
    _reviewer_required(request)
    filters = _queue_filters(request.POST)
    submissions = _queue(request.user, filters)
    upto = _int_or_none(request.POST.get("upto", ""))
    if upto is None:
        return HttpResponse("参数无效：请从审核队列页面提交", status=400)
    try:
        count = services.submissions_approve(
            submissions=submissions.filter(pk__lte=upto),
            user=request.user,
            comment=request.POST.get("comment", ""),
        )
    except ReviewError as exc:
        return HttpResponse(exc.message, status=exc.status_code)
    messages.success(request, f"已核准 {count} 条提交")
    return redirect(f"{reverse('review-queue')}?{_filter_query(filters)}")


@require_POST
@login_required(login_url=LOGIN_URL)
def notices_seen(request: HttpRequest) -> HttpResponse:
    _reviewer_required(request)
    services.queue_notices_seen(user=request.user)
    return redirect("review-queue")


@require_POST
@login_required(login_url=LOGIN_URL)
def policy_set(request: HttpRequest) -> HttpResponse:
    _reviewer_required(request)
    counting = request.POST.get("counting", "")
    if request.user.town is None or counting not in CountingRule.values:
        return HttpResponse("参数无效", status=400)
    try:
        services.review_policy_set(town=request.user.town, counting=counting, user=request.user)
    except ReviewError as exc:
        return HttpResponse(exc.message, status=exc.status_code)
    messages.success(request, "指标计入规则已更新")
    return redirect("review-queue")


def _submission_page(
    request: HttpRequest, submission: Submission, *, error: str = "", status_code=200
):
    review = getattr(submission, "review", None)
    state = review.state if review else ReviewState.RECEIVED
    form_id = submission.form.form_id
    return render(
        request,
        "review/submission.html",
        {
            "submission": submission,
            "review": review,
            "state_label": ReviewState(state).label,
            "next_states": [
                (s, ReviewState(s).label) for s in ReviewState.values if s in TRANSITIONS[state]
            ],
            "may_review": selectors.user_is_reviewer(request.user) and submission.is_current,
            "answers": answers.answers_labelled(form_id=form_id, answers=submission.answers),
            "point": answers.geopoint(form_id=form_id, answers=submission.answers),
            "attachments": submission.attachments.all(),
            "versions": selectors.version_list(submission=submission),
            "comments": selectors.comment_list(submission=submission),
            "error": error,
        },
        status=status_code,
    )


def _visible_submission(request: HttpRequest, pk: int) -> Submission:
    submission = (
        submission_list_for_user(user=request.user).select_related("review").filter(pk=pk).first()
    )
    if submission is None:
        raise Http404
    return submission


@login_required(login_url=LOGIN_URL)
def submission_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One submission: answers, photos, GPS point, versions, thread; state buttons."""
    submission = _visible_submission(request, pk)
    if request.method != "POST":
        return _submission_page(request, submission)
    try:
        if request.POST.get("action") == "comment":
            services.submission_comment(
                submission=submission, user=request.user, body=request.POST.get("comment", "")
            )
            messages.success(request, "意见已发表")
        else:
            services.submission_review(
                submission=submission,
                user=request.user,
                state=request.POST.get("state", ""),
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, "审核状态已更新")
    except ReviewError as exc:
        submission.refresh_from_db()
        return _submission_page(request, submission, error=exc.message, status_code=exc.status_code)
    return redirect("review-submission", pk=submission.pk)


@login_required(login_url=LOGIN_URL)
def rework_page(request: HttpRequest) -> HttpResponse:
    """我的待整改: the user's submissions sent back with the officials' comments."""
    return render(
        request,
        "review/rework.html",
        {"submissions": selectors.rework_list_for_user(user=request.user)},
    )


# --- REST API ---------------------------------------------------------------------


def _error(exc: ReviewError) -> Response:
    return Response({"detail": exc.message}, status=exc.status_code)


def _api_submission(request, pk: int) -> Submission:
    submission = submission_list_for_user(user=request.user).filter(pk=pk).first()
    if submission is None:
        raise Http404
    return submission


class SubmissionReviewAPI(APIView):
    """POST: set the review state of a submission (town officials, district admins)."""

    @extend_schema(request=ReviewInput, responses=ReviewOutput)
    def post(self, request, pk: int):
        submission = _api_submission(request, pk)
        data = ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            review = services.submission_review(
                submission=submission, user=request.user, **data.validated_data
            )
        except ReviewError as exc:
            return _error(exc)
        return Response(ReviewOutput(review).data)


class SubmissionCommentsAPI(APIView):
    """GET: the submission's thread. POST: add a comment."""

    @extend_schema(responses=CommentOutput(many=True))
    def get(self, request, pk: int):
        submission = _api_submission(request, pk)
        return Response(
            CommentOutput(selectors.comment_list(submission=submission), many=True).data
        )

    @extend_schema(request=CommentInput, responses=CommentOutput)
    def post(self, request, pk: int):
        submission = _api_submission(request, pk)
        data = CommentInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            entry = services.submission_comment(
                submission=submission, user=request.user, body=data.validated_data["body"]
            )
        except ReviewError as exc:
            return _error(exc)
        return Response(CommentOutput(entry).data, status=status.HTTP_201_CREATED)


class BulkApproveAPI(APIView):
    """POST {"ids": [...]}: approve those of the listed submissions this user may review."""

    @extend_schema(request=BulkApproveInput, responses={200: dict})
    def post(self, request):
        if not selectors.user_is_reviewer(request.user):
            return Response({"detail": "只有镇级管理人员和区级管理员可以审核"}, status=403)
        data = BulkApproveInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            count = services.submissions_approve(
                submissions=Submission.objects.filter(pk__in=data.validated_data["ids"]),
                user=request.user,
                comment=data.validated_data["comment"],
            )
        except ReviewError as exc:
            return _error(exc)
        return Response({"approved": count})


class ReworkListAPI(APIView):
    """GET: the user's submissions sent back and not yet redone."""

    @extend_schema(responses={200: dict})
    def get(self, request):
        rows = [
            {
                "id": submission.pk,
                "form": submission.form.form_id,
                "instance_id": submission.instance_id,
                "state": submission.review.state,
                "facility": submission.facility.code if submission.facility else None,
                "water_body": submission.water_body.code if submission.water_body else None,
                "comments": CommentOutput(submission.review_comments.all(), many=True).data,
            }
            for submission in selectors.rework_list_for_user(user=request.user)
        ]
        return Response(rows)


# --- notices of the send-back loop --------------------------------------------------


def _yes_no(value: str | None, name: str) -> bool | None:
    if value in (None, ""):
        return None
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise serializers.ValidationError({name: "请填写 true 或 false"})


@extend_schema(
    parameters=[
        OpenApiParameter("unread", OpenApiTypes.BOOL, description="true：只列未读通知"),
        OpenApiParameter(
            "kind",
            str,
            enum=NoticeKind.values,
            description="sent_back 提交被退回；redone 整改已提交",
        ),
    ]
)
class NoticeListAPI(generics.ListAPIView):
    """GET: your own notices, newest first: 提交被退回 (sent back to you, with the official's
    comment) and 整改已提交 (a submission you or your town sent back has been redone)."""

    serializer_class = NoticeOutput
    filter_backends: list = []

    def get_queryset(self):
        kind = self.request.query_params.get("kind", "")
        if kind and kind not in NoticeKind.values:
            raise serializers.ValidationError({"kind": f"可选值：{'、'.join(NoticeKind.values)}"})
        unread = _yes_no(self.request.query_params.get("unread"), "unread")
        return selectors.notice_list_for_user(
            user=self.request.user, unread_only=bool(unread), kind=kind
        )


class NoticeDetailAPI(APIView):
    """GET one of your notices; PATCH {"read": true|false} marks it read or unread.
    Another person's notice is a 404."""

    def _notice(self, request, pk: int):
        notice = selectors.notice_list_for_user(user=request.user).filter(pk=pk).first()
        if notice is None:
            raise Http404
        return notice

    @extend_schema(responses=NoticeOutput)
    def get(self, request, pk: int):
        return Response(NoticeOutput(self._notice(request, pk)).data)

    @extend_schema(request=NoticeUpdateInput, responses=NoticeOutput)
    def patch(self, request, pk: int):
        notice = self._notice(request, pk)
        data = NoticeUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.notices_mark_read(
            user=request.user, ids=[notice.pk], read=data.validated_data["read"]
        )
        notice.refresh_from_db()
        return Response(NoticeOutput(notice).data)


class NoticeReadAPI(APIView):
    """POST {"ids": [...]}: mark those of your notices read; without ids, all of them.
    An id that is not yours is a 404 and nothing changes."""

    @extend_schema(
        request=NoticeReadInput,
        responses={
            200: inline_serializer("NoticeReadResult", {"marked": serializers.IntegerField()})
        },
    )
    def post(self, request):
        data = NoticeReadInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            marked = services.notices_mark_read(
                user=request.user, ids=data.validated_data.get("ids")
            )
        except ReviewError as exc:
            return _error(exc)
        return Response({"marked": marked})
