"""The idle timeout: a logged-in session lives SESSION_IDLE_MINUTES past its last use."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY

SEEN_AT = "seen_at"


class IdleTimeoutMiddleware:
    """Push a logged-in session's expiry forward while it is being used.

    A session saved again gets a fresh SESSION_COOKIE_AGE, both in the store and on the cookie,
    so one left alone that long ends. Django's SESSION_SAVE_EVERY_REQUEST would do this with a
    write on every request; here the session is marked changed (and so saved) at most once
    every SESSION_REFRESH_SECONDS, which moves the timeout by no more than that.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(SEEN_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[SEEN_AT] = now
        return self.get_response(request)


def mark_seen(sender, request, user, **kwargs):
    """On login (a user_logged_in receiver): the session is new and saved anyway."""
    if hasattr(request, "session"):
        request.session[SEEN_AT] = int(time.time())
