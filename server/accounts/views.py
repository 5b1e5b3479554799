"""Account endpoints of the API: revoking one's own API token."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView


class TokenRevokeAPI(APIView):
    """POST: delete the caller's API token; /api/v1/auth/token/ issues a new one.

    District administrators revoke other users' tokens in the admin (令牌).
    """

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
