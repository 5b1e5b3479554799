"""URLs of collect. OpenRosa lives at the server root so that Collect's server URL is
simply http://HOST:8000 (Collect appends /formList and /submission itself)."""

from django.urls import path, re_path

from collect import views

# Collect joins the server URL and "/formList" as strings; a server URL typed with a
# trailing slash gives "//formList", which these patterns accept too.
openrosa_patterns = [
    re_path(r"^(?:/)?formList$", views.FormListView.as_view(), name="openrosa-form-list"),
    re_path(r"^(?:/)?submission$", views.SubmissionView.as_view(), name="openrosa-submission"),
    path(
        "forms/<str:form_id>/versions/<int:version_pk>/form.xml",
        views.FormDownloadView.as_view(),
        name="openrosa-form-download",
    ),
    path(
        "forms/<str:form_id>/versions/<int:version_pk>/manifest",
        views.ManifestView.as_view(),
        name="openrosa-manifest",
    ),
    path(
        "forms/<str:form_id>/versions/<int:version_pk>/media/<str:filename>",
        views.MediaDownloadView.as_view(),
        name="openrosa-media",
    ),
    path("collect/qr/", views.collect_qr_page, name="collect-qr"),
]

api_patterns = [
    path("forms/", views.FormListCreateAPI.as_view(), name="form-list"),
    path("forms/<str:form_id>/", views.FormDetailAPI.as_view(), name="form-detail"),
    path("submissions/", views.SubmissionListAPI.as_view(), name="submission-list"),
    path("submissions/<int:pk>/", views.SubmissionDetailAPI.as_view(), name="submission-detail"),
    path(
        "submissions/<int:pk>/attachments/<str:name>",
        views.AttachmentDownloadAPI.as_view(),
        name="submission-attachment",
    ),
]
