"""client_address(): the address the lockout and the audit log use, with and without proxies."""

import pytest
from django.test import RequestFactory

from accounts.addresses import client_address


def request(remote_addr="10.0.0.2", forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **headers)


def test_without_a_proxy_it_is_the_connections_address(settings):
    settings.BEHIND_PROXY = False

    assert client_address(request("203.0.113.7", forwarded_for="198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "192.0.2.1, 203.0.113.7", "203.0.113.7"),  # the client's own entry is ignored
        (1, "192.0.2.1,203.0.113.7", "203.0.113.7"),
        (2, "203.0.113.7, 10.0.0.9", "203.0.113.7"),  # CDN then load balancer
        (2, "192.0.2.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (1, "2001:db8::7", "2001:db8::7"),
    ],
)
def test_behind_proxies_it_is_the_entry_the_outermost_proxy_wrote(
    settings, proxies, forwarded_for, expected
):
    settings.BEHIND_PROXY, settings.PROXY_COUNT = True, proxies

    assert client_address(request(forwarded_for=forwarded_for)) == expected


@pytest.mark.parametrize("forwarded_for", [None, "", "not-an-address", "203.0.113.7 ; rm -rf"])
def test_behind_a_proxy_a_missing_or_broken_header_means_the_connections_address(
    settings, forwarded_for
):
    settings.BEHIND_PROXY, settings.PROXY_COUNT = True, 1

    assert client_address(request("10.0.0.2", forwarded_for)) == "10.0.0.2"


def test_behind_two_proxies_a_header_with_one_entry_did_not_come_through_both(settings):
    settings.BEHIND_PROXY, settings.PROXY_COUNT = True, 2

    assert client_address(request("10.0.0.2", "203.0.113.7")) == "10.0.0.2"
