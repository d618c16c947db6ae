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
