from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """Refuse a login from a locked-out username and address (django-axes).

    Axes needs the request to know the address. Every login over HTTP passes it (Django's
    AuthenticationForm does, for our login page and the admin's); a call without one (the
    test client's `login()`, a shell) is not a guess from the network, so it is left to the
    next backend instead of being an error.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


# AccessAttempt.username is a varchar(255); Django's login form does not limit the length.
LOCKOUT_USERNAME_LENGTH = 255


def lockout_username(request, credentials) -> str | None:
    """The username django-axes counts failures for (AXES_USERNAME_CALLABLE).

    What Django authenticated (stripped and NFKC-folded by the login form), cut to what the
    table holds: a 300-character username is then just another failed login, not a database
    error on PostgreSQL.
    """
    if credentials is not None:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    return username[:LOCKOUT_USERNAME_LENGTH] if username else username
