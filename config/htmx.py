"""How pages that answer htmx with a fragment stay whole pages for the browser's history."""

from django.http import HttpRequest
from django.utils.cache import patch_vary_headers


def wants_fragment(request: HttpRequest) -> bool:
    """True for an htmx swap; a history restore (Back after a live search) gets the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


class VaryOnHtmxMiddleware:
    """Every response says it depends on HX-Request.

    A URL such as /customers/?q=anj answers htmx with the results fragment and a browser with
    the page. Without `Vary: HX-Request` the browser's cache keeps the fragment under that URL
    and shows it, bare, when Back returns there after a full navigation.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ["HX-Request"])
        return response
