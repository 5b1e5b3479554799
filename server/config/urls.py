from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.views import TokenObtainAPI, TokenRevokeAPI, login_page
from collect.urls import api_patterns as collect_api_patterns
from collect.urls import openrosa_patterns
from config.health import healthz
from review.urls import api_patterns as review_api_patterns
from review.urls import page_patterns as review_page_patterns

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("registry.urls")),
    path("api/v1/", include(collect_api_patterns)),
    path("api/v1/", include("indicators.urls")),
    path("api/v1/", include("exports.urls")),
    path("api/v1/", include(review_api_patterns)),
    path("api/v1/auth/token/", TokenObtainAPI.as_view(), name="api-token"),
    path("api/v1/auth/token/revoke/", TokenRevokeAPI.as_view(), name="api-token-revoke"),
    path("review/", include(review_page_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api-auth/login/", login_page, name="login"),  # says so when the account is locked
    path("api-auth/", include("rest_framework.urls")),
    # OpenRosa (ODK Collect) at the root: /formList, /submission, /forms/...
    path("", include(openrosa_patterns)),
]
