"""Rendering for the OpenRosa endpoints: the documents are built by collect.openrosa."""

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

from collect import openrosa


class OpenRosaXMLRenderer(BaseRenderer):
    """Passes prepared XML bytes through; anything else becomes an OpenRosaResponse."""

    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        if isinstance(data, bytes):
            return data
        return openrosa.response_xml(str(data), nature="error")


class IgnoreClientContentNegotiation(DefaultContentNegotiation):
    """Collect's Accept header varies by version; OpenRosa answers are always XML."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return (renderers[0], renderers[0].media_type)
