"""The HTTP half of bin/docker-smoke: a browser's journey against a running gunicorn.

Standard library only. Requests go straight to gunicorn as the TLS-terminating proxy in front
of it would send them (Host, X-Forwarded-Proto: https), except the health check, which comes
over plain HTTP from inside the container. Cookies are kept by hand because the session and
CSRF cookies are Secure and this client talks plain HTTP to the proxy's upstream.
Exits non-zero with the reason at the first check that fails.
"""

import argparse
import http.client
import json
import re
import sys
import time
import uuid
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STYLESHEET = re.compile(r'href="(/static/css/dist/styles\.[0-9a-f]{12}\.css)"')
# Hashed files never change, so WhiteNoise lets browsers keep them for ten years.
FOREVER = "max-age=315360000"


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)


class Browser:
    def __init__(self, port: int, host: str):
        self.port, self.host = port, host
        self.cookies: dict[str, str] = {}

    def request(self, method, path, *, body=None, headers=None, proxied=True):
        sent = {"Host": self.host, **(headers or {})}
        if proxied:
            sent["X-Forwarded-Proto"] = "https"
            sent["X-Forwarded-For"] = "203.0.113.7"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie, _, _ = value.partition(";")
                key, _, cookie_value = cookie.partition("=")
                self.cookies[key.strip()] = cookie_value.strip()
        return response, content

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, fields, *, files=None):
        origin = f"https://{self.host}"
        headers = {"Origin": origin, "Referer": origin + path}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        headers["Content-Type"] = content_type
        return self.request("POST", path, body=body, headers=headers)

    def csrf_token(self, path):
        response, content = self.get(path)
        check(response.status == 200, f"GET {path}: {response.status}")
        match = CSRF_INPUT.search(content.decode())
        check(match, f"GET {path}: no CSRF token in the form")
        return match.group(1), content.decode()


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    body = "".join(parts).encode()
    for name, (filename, data, content_type) in files.items():
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        ).encode()
        body += data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def wait_for(description, probe, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise Failed(f"gave up after {seconds} s waiting for {description}")
        time.sleep(0.3)


def healthz(browser):
    response, content = browser.get("/healthz/", proxied=False)
    check(response.status == 200, f"/healthz/ over plain HTTP: {response.status} {content[:200]}")
    return json.loads(content)


def run(args) -> None:
    browser = Browser(args.port, args.host)

    body = healthz(browser)
    check(body["status"] == "ok" and body["database"] == "ok", f"/healthz/: {body}")
    wait_for("the worker's heartbeat in /healthz/", lambda: healthz(browser)["worker"]["alive"])
    print("ok  /healthz/ over plain HTTP: database ok, the import worker alive")

    response, _ = browser.get("/customers/")
    check(response.status == 302, f"anonymous /customers/: {response.status}")
    check(
        response.getheader("Location", "").startswith("/accounts/login/"),
        f"anonymous /customers/ redirects to {response.getheader('Location')}",
    )
    print("ok  anonymous /customers/ -> the login page")

    token, _ = browser.csrf_token("/accounts/login/")
    fields = {"csrfmiddlewaretoken": token, "username": args.username, "password": args.password}
    response, content = browser.post_form("/accounts/login/", fields)
    check(response.status == 302, f"login: {response.status} {content[:300]}")
    check("sessionid" in browser.cookies, "login set no session cookie")
    print("ok  logged in through the login form (CSRF token, session cookie)")

    token, _ = browser.csrf_token("/imports/new/")
    names = [f"Smoke Student {n} {uuid.uuid4().hex[:6]}" for n in range(3)]
    rows = ["Name,Phone,Area"] + [f"{name},98470{n:05d},Kochi" for n, name in enumerate(names)]
    upload = ("leads.csv", "\n".join(rows).encode(), "text/csv")
    fields = {"csrfmiddlewaretoken": token, "assign": "NOBODY"}
    response, content = browser.post_form("/imports/new/", fields, files={"file": upload})
    check(response.status == 302, f"import upload: {response.status} {content[:300]}")
    check(
        re.match(r"^/imports/[0-9a-f-]{36}/$", response.getheader("Location", "")),
        f"import upload redirects to {response.getheader('Location')}",
    )
    print("ok  uploaded a CSV through the import form (stored, queued)")

    def customer_list_shows_all():
        response, content = browser.get("/customers/")
        check(response.status == 200, f"/customers/: {response.status}")
        page = content.decode()
        return page if all(name in page for name in names) else None

    page = wait_for("the worker to import the uploaded rows", customer_list_shows_all)
    check("Log out" in page, "/customers/ does not look logged in")
    print("ok  the worker imported the rows; the customer list shows them")

    match = STYLESHEET.search(page)
    check(match, "no hashed stylesheet link in the page")
    static_file(browser, match.group(1), "text/css")
    with open(args.manifest, encoding="utf-8") as manifest:
        chart = json.load(manifest)["paths"]["vendor/chart.umd.min.js"]
    static_file(browser, f"/static/{chart}", "javascript")

    queue = healthz(browser)["queue"]
    check(queue == {"ready": 0, "running": 0}, f"queue not empty after the import: {queue}")
    print("ok  /healthz/ queue empty after the import")


def static_file(browser, path, content_type):
    headers = {"Accept-Encoding": "gzip, br"}
    response, content = browser.get(path, headers=headers)
    check(response.status == 200, f"{path}: {response.status}")
    check(content_type in response.getheader("Content-Type", ""), f"{path}: content type")
    cache = response.getheader("Cache-Control", "")
    check(FOREVER in cache and "immutable" in cache, f"{path}: Cache-Control {cache!r}")
    encoding = response.getheader("Content-Encoding", "")
    check(encoding in ("gzip", "br"), f"{path}: not served compressed ({encoding!r})")
    print(f"ok  {path}: 200, {encoding}, Cache-Control {cache}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--manifest", required=True, help="STATIC_ROOT/staticfiles.json")
    try:
        run(parser.parse_args())
    except Failed as failure:
        print(f"FAIL {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
