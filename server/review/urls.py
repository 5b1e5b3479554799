"""URLs of review: web pages under /review/, API under /api/v1/."""

from django.urls import path

from review import views

page_patterns = [
    path("", views.queue_page, name="review-queue"),
    path("approve/", views.queue_approve, name="review-approve"),
    path("notices/seen/", views.notices_seen, name="review-notices-seen"),
    path("policy/", views.policy_set, name="review-policy"),
    path("submissions/<int:pk>/", views.submission_page, name="review-submission"),
    path("mine/", views.rework_page, name="review-rework"),
]

api_patterns = [
    path(
        "submissions/<int:pk>/review/",
        views.SubmissionReviewAPI.as_view(),
        name="submission-review",
    ),
    path(
        "submissions/<int:pk>/comments/",
        views.SubmissionCommentsAPI.as_view(),
        name="submission-comments",
    ),
    path("reviews/approve/", views.BulkApproveAPI.as_view(), name="review-bulk-approve"),
    path("reviews/rework/", views.ReworkListAPI.as_view(), name="review-rework-api"),
    path("notices/", views.NoticeListAPI.as_view(), name="notice-list"),
    path("notices/read/", views.NoticeReadAPI.as_view(), name="notice-read"),
    path("notices/<int:pk>/", views.NoticeDetailAPI.as_view(), name="notice-detail"),
]
