"""What a browser would post from a page's form, read from the page's HTML: its hidden inputs
(a version, the loaded values) as well as the fields a person sees."""

from html.parser import HTMLParser

from django.http import HttpResponse


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self.actions: list[str] = []  # each form's action, as written in the page
        self._form: dict[str, list[str]] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._form = {}
            self.actions.append(attributes.get("action") or "")
        if self._form is None:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            if kind in ("submit", "button", "file"):
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form.setdefault(name, []).append(attributes.get("value") or default)
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((attributes.get("value") or "", "selected" in attributes))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]
            self._form[self._select] = chosen
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The parser keeps the newline after <textarea>, which a browser drops.
            self._form[self._textarea] = ["".join(self._text).removeprefix("\n")]
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def form_data(response: HttpResponse, *, marker: str = "version") -> dict[str, str | list[str]]:
    """The fields of the page's first POST form holding a field named ``marker``, as posted."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    for fields in reader.forms:
        if marker in fields:
            fields.pop("csrfmiddlewaretoken", None)
            return {
                name: values[0] if len(values) == 1 else values for name, values in fields.items()
            }
    raise AssertionError(f"No form with a {marker!r} field on the page.")


def post_forms(response: HttpResponse) -> list[tuple[str, dict[str, list[str]]]]:
    """Every POST form of the page: its action as written ("" for the page itself) and its
    fields as loaded, each with the list of its values."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    return [
        (action, {name: values for name, values in fields.items() if name != "csrfmiddlewaretoken"})
        for action, fields in zip(reader.actions, reader.forms, strict=True)
    ]


def save_as_loaded(client, url: str, **typed) -> HttpResponse:
    """Open the form at ``url`` and post it back as it was loaded, with what was ``typed``."""
    return client.post(url, form_data(client.get(url)) | typed)
