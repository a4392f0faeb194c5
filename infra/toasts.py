"""Messages shown as toasts (``templates/includes/messages.html``), some with an Undo.

An Undo is a small form posted back to the app: its address and hidden fields ride in the
message's extra tags, so that any message storage (cookie or session) keeps them until the
toast is drawn. ``inline`` says the page can redraw the part the Undo changes (htmx posts it);
otherwise it is a plain form and the view redirects back.
"""

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

PREFIX = "undo:"
_URL, _INLINE = "_url", "_inline"


@dataclass(frozen=True)
class Undo:
    url: str
    fields: list[tuple[str, str]]
    inline: bool


def undo_tags(url: str, *, inline: bool = False, **fields) -> str:
    """The ``extra_tags`` of a message whose toast offers to post ``fields`` to ``url``."""
    values = {_URL: url, _INLINE: "1" if inline else "", **fields}
    return PREFIX + urlencode({name: str(value) for name, value in values.items()})


def undo_of(message) -> Undo | None:
    """The Undo a message carries, if any (one token among its extra tags)."""
    for tag in (getattr(message, "extra_tags", "") or "").split():
        if tag.startswith(PREFIX):
            values = dict(parse_qsl(tag.removeprefix(PREFIX), keep_blank_values=True))
            url = values.pop(_URL, "")
            # A path of this site, never another's.
            if not url.startswith("/") or url.startswith("//"):
                return None
            inline = values.pop(_INLINE, "") == "1"
            return Undo(url=url, fields=list(values.items()), inline=inline)
    return None
