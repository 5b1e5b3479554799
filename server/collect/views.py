"""HTTP entry points of collect: the OpenRosa endpoints ODK Collect talks to, the
REST API for forms and submissions, and the QR code page that sets up a phone.

Views check input, call one service or selector and shape the answer. Domain
exceptions become OpenRosaResponse documents in openrosa_exception_handler.
"""

import base64
import json
import zlib
from tempfile import SpooledTemporaryFile

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFilesSent
from django.core.files.storage import default_storage
from django.core.handlers.wsgi import LimitedStream
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scopes import can_manage_registry
from collect import openrosa, selectors, services
from collect.authentication import DigestAuthentication, OpenRosaBasicAuthentication
from collect.exceptions import (
    CollectError,
    FormPublishError,
    MissingSubmissionFile,
    SubmissionTooLarge,
)
from collect.filters import SubmissionFilter
from collect.models import Form, Submission
from collect.registry_media import REGISTRY_MEDIA, registry_media_content
from collect.renderers import IgnoreClientContentNegotiation, OpenRosaXMLRenderer
from collect.serializers import (
    FormOutput,
    FormPublishInput,
    FormUpdateInput,
    SubmissionOutput,
)

XML_CONTENT_TYPE = "text/xml; charset=utf-8"


def _openrosa_message(exc: Exception) -> tuple[int, str, dict[str, str]] | None:
    if isinstance(exc, CollectError):
        return exc.status_code, exc.message, {}
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        headers = {"WWW-Authenticate": exc.auth_header} if getattr(exc, "auth_header", None) else {}
        message = str(exc.detail) if isinstance(exc, exceptions.AuthenticationFailed) else ""
        return 401, message or "请输入用户名和密码", headers
    if isinstance(exc, exceptions.PermissionDenied | DjangoPermissionDenied):
        return 403, "您没有访问权限", {}
    if isinstance(exc, exceptions.NotFound | Http404):
        return 404, "未找到请求的表单或文件", {}
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return 415, "提交格式错误：应为 multipart/form-data，请使用 ODK Collect 发送", {}
    if isinstance(exc, exceptions.MethodNotAllowed):
        return 405, "不支持的请求方法", {}
    if isinstance(exc, RequestDataTooBig):
        return 413, SubmissionTooLarge.message, {}
    if isinstance(exc, TooManyFilesSent):
        return 400, "一次提交的附件太多", {}
    if isinstance(exc, exceptions.ParseError | SuspiciousOperation):
        return 400, "提交内容无法解析，请在手机上重新保存后再发送", {}
    if isinstance(exc, exceptions.APIException):
        return exc.status_code, "请求失败", {}
    return None


def openrosa_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Every error of an OpenRosa endpoint as an OpenRosaResponse Collect can show."""
    answer = _openrosa_message(exc)
    if answer is None:
        return None
    status_code, message, headers = answer
    nature = "submit_success" if status_code < 300 else "error"
    return Response(
        openrosa.response_xml(message, nature=nature), status=status_code, headers=headers
    )


class OpenRosaView(APIView):
    """Base of the endpoints ODK Collect calls: Digest/Basic login, XML answers."""

    authentication_classes = [DigestAuthentication, OpenRosaBasicAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [OpenRosaXMLRenderer]
    content_negotiation_class = IgnoreClientContentNegotiation

    def get_exception_handler(self):
        return openrosa_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-OpenRosa-Version"] = openrosa.OPENROSA_VERSION
        response.setdefault("Date", http_date())
        if request.method == "HEAD" and not response.streaming:
            # gunicorn sends whatever body Django gives it; a body after a HEAD answer
            # (e.g. a 401's OpenRosaResponse) corrupts the next response on a kept-alive connection.
            response.content = b""
        return response


def _xml(content: bytes, status_code: int = 200) -> HttpResponse:
    return HttpResponse(content, status=status_code, content_type=XML_CONTENT_TYPE)


def _fillable_version(request, form_id: str, version_pk: int):
    form = selectors.form_get(form_id=form_id)
    if form is None:
        raise Http404
    if not selectors.user_may_fill(user=request.user, form=form):
        raise exceptions.PermissionDenied()
    version = selectors.form_version_get(form=form, pk=version_pk)
    if version is None:
        raise Http404
    return form, version


@extend_schema(exclude=True)  # OpenRosa, documented in the README
class FormListView(OpenRosaView):
    def get(self, request):
        all_versions = request.query_params.get("listAllVersions", "").lower() == "true"
        only = request.query_params.get("formID")
        entries = []
        for form in selectors.form_list_for_user(user=request.user):
            if only and form.form_id != only:
                continue
            for version in selectors.form_versions_for_list(form=form, all_versions=all_versions):
                base = f"/forms/{form.form_id}/versions/{version.pk}"
                has_media = selectors.form_version_has_media(version=version)
                entries.append(
                    openrosa.FormListEntry(
                        form_id=form.form_id,
                        name=version.title,
                        version=version.version,
                        md5=version.xform_md5,
                        download_url=request.build_absolute_uri(f"{base}/form.xml"),
                        manifest_url=request.build_absolute_uri(f"{base}/manifest")
                        if has_media
                        else None,
                    )
                )
        return _xml(openrosa.form_list_xml(entries))


@extend_schema(exclude=True)  # OpenRosa, documented in the README
class FormDownloadView(OpenRosaView):
    def get(self, request, form_id: str, version_pk: int):
        _, version = _fillable_version(request, form_id, version_pk)
        return _xml(version.xform.encode("utf-8"))


@extend_schema(exclude=True)  # OpenRosa, documented in the README
class ManifestView(OpenRosaView):
    def get(self, request, form_id: str, version_pk: int):
        _, version = _fillable_version(request, form_id, version_pk)
        base = f"/forms/{form_id}/versions/{version.pk}/media"
        files = [
            openrosa.MediaFileEntry(
                filename=name,
                md5=md5,
                download_url=request.build_absolute_uri(f"{base}/{name}"),
            )
            for name, md5 in selectors.form_media_list(version=version, user=request.user)
        ]
        return _xml(openrosa.manifest_xml(files))


@extend_schema(exclude=True)  # OpenRosa, documented in the README
class MediaDownloadView(OpenRosaView):
    def get(self, request, form_id: str, version_pk: int, filename: str):
        _, version = _fillable_version(request, form_id, version_pk)
        if filename in REGISTRY_MEDIA and filename in version.media_names:
            content = registry_media_content(filename=filename, user=request.user)
            return HttpResponse(content, content_type="text/csv; charset=utf-8")
        media = version.media.filter(filename=filename).first()
        if media is None:
            raise Http404
        return FileResponse(media.file.open("rb"), filename=media.filename)


def _chunked_body_buffered(request, limit: int) -> None:
    """Let Django parse a chunked upload: Django reads only CONTENT_LENGTH bytes.

    gunicorn decodes chunked transfer encoding in wsgi.input; we copy the body, up to
    the limit, into a spooled file and give Django its length.
    """
    django_request = request._request
    meta = django_request.META
    if meta.get("CONTENT_LENGTH") or "chunked" not in meta.get("HTTP_TRANSFER_ENCODING", ""):
        return
    body = SpooledTemporaryFile(max_size=2_500_000)  # noqa: SIM115 -- becomes the request body stream
    size = 0
    source = meta["wsgi.input"]
    while chunk := source.read(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise SubmissionTooLarge()
        body.write(chunk)
    body.seek(0)
    meta["CONTENT_LENGTH"] = str(size)
    django_request._stream = LimitedStream(body, size)


@extend_schema(exclude=True)  # OpenRosa, documented in the README
class SubmissionView(OpenRosaView):
    parser_classes = [MultiPartParser]

    def head(self, request):
        # Collect requires exactly 204 here; a 200 (e.g. from a proxy page) counts as failure.
        response = HttpResponse(status=status.HTTP_204_NO_CONTENT)
        response["X-OpenRosa-Accept-Content-Length"] = str(settings.OPENROSA_MAX_SUBMISSION_BYTES)
        return response

    def post(self, request):
        limit = settings.OPENROSA_MAX_SUBMISSION_BYTES + settings.OPENROSA_MULTIPART_OVERHEAD_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            raise SubmissionTooLarge()
        _chunked_body_buffered(request, limit)
        xml_file = request.FILES.get("xml_submission_file")
        if xml_file is None:
            raise MissingSubmissionFile()
        # *isIncomplete* (split uploads) is deliberately ignored: every part is stored as it comes.
        files = {
            name: upload for name, upload in request.FILES.items() if name != "xml_submission_file"
        }
        receipt = services.submission_receive(
            xml=xml_file.read(),
            files=files,
            user=request.user,
            device_id=request.query_params.get("deviceID", ""),
            client_date=request.headers.get("Date", ""),
        )
        message = "提交成功" if receipt.created else "已补充附件"
        response = _xml(openrosa.response_xml(message), status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri("/submission")
        return response


# --- REST API ---------------------------------------------------------------------


class FormListCreateAPI(generics.ListAPIView):
    """GET: forms and their versions. POST (managers): publish an XLSForm, with media files."""

    serializer_class = FormOutput
    parser_classes = [MultiPartParser]
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Form.objects.none()
        return selectors.form_visible_list(user=self.request.user)

    @extend_schema(request=FormPublishInput, responses=FormOutput)
    def post(self, request):
        if not can_manage_registry(request.user):
            raise exceptions.PermissionDenied("只有镇级管理人员或区级管理员可以发布表单")
        data = FormPublishInput(data=request.data)
        data.is_valid(raise_exception=True)
        xlsform = data.validated_data["xlsform"]
        try:
            result = services.form_publish(
                xlsform_name=xlsform.name,
                xlsform=xlsform.read(),
                media={upload.name: upload.read() for upload in data.validated_data["media"]},
                user=request.user,
                fill_roles=data.validated_data.get("fill_roles"),
            )
        except FormPublishError as exc:
            return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
        form = selectors.form_get(form_id=result.version.form.form_id)
        return Response(
            FormOutput(form, context={"request": request}).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class FormDetailAPI(generics.RetrieveAPIView):
    """GET one form; PATCH (managers): open or close it, or change who may fill it."""

    serializer_class = FormOutput
    lookup_field = "form_id"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Form.objects.none()
        return selectors.form_visible_list(user=self.request.user)

    @extend_schema(request=FormUpdateInput, responses=FormOutput)
    def patch(self, request, form_id: str):
        if not can_manage_registry(request.user):
            raise exceptions.PermissionDenied("只有镇级管理人员或区级管理员可以修改表单")
        form = self.get_object()
        data = FormUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        if "is_open" in data.validated_data:
            services.form_open_set(form=form, is_open=data.validated_data["is_open"])
        if "fill_roles" in data.validated_data:
            services.form_fill_roles_set(form=form, fill_roles=data.validated_data["fill_roles"])
        return Response(FormOutput(form, context={"request": request}).data)


class SubmissionListAPI(generics.ListAPIView):
    """Submissions the user may see; by default only current versions (see ?current=)."""

    serializer_class = SubmissionOutput
    filterset_class = SubmissionFilter
    search_fields = ["instance_id"]
    ordering_fields = ["received_at", "updated_at", "client_ended_at"]
    ordering = ["-received_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        return selectors.submission_list_for_user(user=self.request.user)


class SubmissionDetailAPI(generics.RetrieveAPIView):
    serializer_class = SubmissionOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        return selectors.submission_list_for_user(user=self.request.user)


class AttachmentDownloadAPI(APIView):
    """An attachment file, for users who may see its submission."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk: int, name: str):
        submission = selectors.submission_list_for_user(user=request.user).filter(pk=pk).first()
        if submission is None:
            raise Http404
        attachment = submission.attachments.filter(name=name).first()
        if attachment is None or not default_storage.exists(attachment.file.name):
            raise Http404
        return FileResponse(
            attachment.file.open("rb"),
            filename=attachment.name,
            content_type=attachment.content_type or None,
        )


# --- QR code set-up ---------------------------------------------------------------


def collect_settings_payload(*, server_url: str, username: str, password: str | None) -> str:
    """Collect's "Configure via QR code" content: base64 of zlib-compressed settings JSON."""
    general = {"server_url": server_url, "username": username}
    if password:
        general["password"] = password
    document = {
        "general": general,
        "admin": {},
        "project": {"name": "邹区镇生态环境调查", "icon": "邹", "color": "#2e7d32"},
    }
    packed = zlib.compress(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    return base64.b64encode(packed).decode("ascii")


# Django's admin login admits staff only; field workers sign in through DRF's login page.
@login_required(login_url="/api-auth/login/")
def collect_qr_page(request):
    """This user's QR code for ODK Collect; the password goes in only when they type it."""
    password = None
    error = ""
    if request.method == "POST":
        typed = request.POST.get("password", "")
        if request.user.check_password(typed):
            password = typed
        else:
            error = "密码错误，二维码中未包含密码"
    server_url = request.build_absolute_uri("/").rstrip("/")
    payload = collect_settings_payload(
        server_url=server_url, username=request.user.get_username(), password=password
    )
    qr_svg = segno.make(payload, error="m").svg_inline(scale=4)
    return render(
        request,
        "collect/qr.html",
        {
            "server_url": server_url,
            "username": request.user.get_username(),
            "with_password": password is not None,
            "error": error,
            "qr_svg": qr_svg,
            "payload": payload,
            "digest_ready": bool(request.user.digest_ha1),
            "page_url": reverse("collect-qr"),
        },
    )
