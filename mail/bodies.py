"""An email's body: HTML sanitised with nh3 before it is stored or shown, and the plain-text
part every email carries beside it."""

import html
import re

import nh3
from django.utils.html import linebreaks

# What an email body may hold: text formatting, lists, links and simple tables. No images
# (they track the reader), styles, scripts or forms.
TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "hr", "i", "li",
    "ol", "p", "pre", "s", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "u",
    "ul",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise(markup: str) -> str:
    return nh3.clean(
        markup, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, strip_comments=True
    ).strip()


def is_html(body: str) -> bool:
    return nh3.is_html(body)


def html_body(body: str) -> str:
    """The HTML part of an email written as ``body``: sanitised HTML, or plain text turned into
    paragraphs."""
    if is_html(body):
        return sanitise(body)
    return linebreaks(body, autoescape=True)


_LINES = re.compile(r"<br\s*/?>|</(?:li|tr)>", re.IGNORECASE)
_PARAGRAPHS = re.compile(r"</(?:p|div|h[1-4]|blockquote|pre|table|ul|ol)>", re.IGNORECASE)
_ITEMS = re.compile(r"<li[^>]*>", re.IGNORECASE)
_LINKS = re.compile(r"<a\s[^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def text_body(sanitised: str) -> str:
    """The plain-text part of a sanitised HTML body: its text, a line per paragraph, links
    followed by their address."""

    def link(match: re.Match) -> str:
        href, label = html.unescape(match.group(1)), match.group(2)
        return label if html.unescape(_TAGS.sub("", label)).strip() == href else f"{label} ({href})"

    text = _LINKS.sub(link, sanitised)
    text = _ITEMS.sub("- ", text)
    text = _LINES.sub("\n", text)
    text = _PARAGRAPHS.sub("\n\n", text)
    text = html.unescape(_TAGS.sub("", text))
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def parts(body: str) -> tuple[str, str]:
    """The HTML and plain-text parts of an email written as ``body`` (HTML or plain text)."""
    if is_html(body):
        markup = sanitise(body)
        return markup, text_body(markup)
    text = "\n".join(line.rstrip() for line in body.strip().splitlines())
    return linebreaks(text, autoescape=True), text
