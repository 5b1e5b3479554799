"""Account endpoints: the API token (issue, revoke) and the web login, each saying so when
the account is locked."""

from django.contrib.auth.views import LoginView
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.forms import LockoutAuthenticationForm
from accounts.lockout import LOCKED_MESSAGE, client_ip, login_locked


class LockoutAuthTokenSerializer(AuthTokenSerializer):
    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except serializers.ValidationError:
            request = self.context.get("request")
            username = attrs.get("username") or ""
            if username and login_locked(username=username, ip=client_ip(request)):
                raise serializers.ValidationError(LOCKED_MESSAGE, code="locked") from None
            raise


class TokenObtainAPI(ObtainAuthToken):
    """POST username and password: your API token (the same one until you revoke it)."""

    serializer_class = LockoutAuthTokenSerializer


class TokenRevokeAPI(APIView):
    """POST: delete the caller's API token; /api/v1/auth/token/ issues a new one.

    District administrators revoke other users' tokens in the admin (令牌).
    """

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


login_page = LoginView.as_view(
    template_name="rest_framework/login.html", authentication_form=LockoutAuthenticationForm
)
