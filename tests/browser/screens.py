"""The two screens every browser journey runs at, and the waits journeys share."""

from playwright.sync_api import Page

# A laptop, and a phone held upright (touch, mobile viewport, a phone's pixel density).
DESKTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


def htmx_ready(page: Page) -> None:
    """Wait for htmx to be listening: rows show before the deferred scripts run, and a change
    made before htmx listens is never sent."""
    page.wait_for_function("() => document.readyState === 'complete' && window.htmx")


def is_htmx(response) -> bool:
    """For `page.expect_response`: a response to a request htmx sent."""
    return response.request.headers.get("hx-request") == "true"


def assert_no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the viewport"
