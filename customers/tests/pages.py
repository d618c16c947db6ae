"""Reading responses the way a person or a browser would: flash messages, login redirects, forms."""

from html.parser import HTMLParser
from urllib.parse import quote

from django.contrib.messages import get_messages


def messages_of(response) -> list[str]:
    """The flash messages the request left for the next page."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def login_url_for(path: str) -> str:
    return f"/accounts/login/?next={quote(path)}"


def template_names(response) -> list[str]:
    return [template.name for template in response.templates]


class _FormFields(HTMLParser):
    """Collect what a browser would submit from one <form method="post"> on a page."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.done = False
        self.select_name = None
        self.select_value = None
        self.first_option = None
        self.textarea_name = None
        self.textarea_text = ""
        self.option_value = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.in_form = self.form_id is None or attrs.get("id") == self.form_id
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select_name, self.select_value, self.first_option = name, None, None
        elif tag == "option" and self.select_name:
            value = attrs.get("value")
            self.option_value = value
            if self.first_option is None:
                self.first_option = value
            if "selected" in attrs:
                self.select_value = value
        elif tag == "textarea" and name:
            self.textarea_name, self.textarea_text = name, ""

    def handle_data(self, data):
        if self.textarea_name:
            self.textarea_text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        elif tag == "select" and self.select_name:
            value = self.select_value if self.select_value is not None else self.first_option
            self.fields.append((self.select_name, value or ""))
            self.select_name = None
        elif tag == "textarea" and self.textarea_name:
            # Browsers drop the one newline that follows <textarea>.
            self.fields.append((self.textarea_name, self.textarea_text.removeprefix("\n")))
            self.textarea_name = None


def form_data_from(response, form_id=None) -> dict[str, str]:
    """What submitting a post form unchanged would send (single-valued fields only).

    `form_id` picks the form by its id; without it, the first post form on the page.
    """
    parser = _FormFields(form_id)
    parser.feed(response.content.decode())
    return dict(parser.fields)


def submit_admin_change_form(client, customer, **changes):
    """Post the admin's customer change form as a browser would, with `changes` typed in."""
    url = f"/admin/customers/customer/{customer.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {**form_data_from(page, "customer_form"), **changes})


def press(form, label=None):
    """Submit a WebTest form the way a browser does when `label`'s button is pressed.

    WebTest alone differs from a browser in two ways that matter here: it ignores a button's
    `formaction` (the list's bulk bar has one form and several actions), and it sends a
    <select> whose chosen option is disabled (a browser sends nothing for "Choose a
    counsellor…", which the server must not read as "Nobody").
    """
    action, pressed = form.action, []
    if label is not None:
        buttons = [b for b in form.html.find_all("button") if b.get_text(strip=True) == label]
        assert len(buttons) == 1, f"expected one button {label!r} in the form, found {buttons}"
        action = buttons[0].get("formaction") or action
        if buttons[0].get("name"):
            pressed = [(buttons[0]["name"], buttons[0].get("value", ""))]
    unchosen = {
        select["name"]
        for select in form.html.find_all("select", attrs={"name": True})
        if (option := select.find("option", selected=True)) and option.has_attr("disabled")
    }
    fields = [
        (name, value)
        for name, value in form.submit_fields()
        if not (name in unchosen and form.fields[name][0].selectedIndex is None)
    ]
    return form.response.goto(action, method=form.method, params=fields + pressed)
