"""Bootstrap look for every form, without repeating widget classes in each form."""

from urllib.parse import urlencode

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_noop

from infra.ids import parse_id

# Django's own label for the empty choice of a select (django.db.models.fields), which its
# Spanish catalogue does not translate yet: named here so that ours carries it.
gettext_noop("- Select an option -")


def widget_css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return ""
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class BootstrapBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if (widget or self.field.widget).is_hidden:
            return attrs  # nothing to style: no classes, no error state
        classes = [widget_css_class(widget or self.field.widget), attrs.get("class", "")]
        if self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(c for c in classes if c)
        return attrs


class FormRenderer(TemplatesSetting):
    bound_field_class = BootstrapBoundField
    field_template_name = "includes/form_field.html"


def _html_attrs(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html writes: ``False`` left out, ``True`` as a bare name."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


class DatePicker(forms.DateInput):
    """The browser's date picker. Its value is written in ISO (2026-11-27) whatever the
    language: the browser shows an empty field for any other form, "27/11/2026" included."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class QuickSelect(forms.Select):
    """A select written in Python: the same HTML as Django's select template.

    The template includes one template per option, which for an administrator's owner filter
    (200 users) took 40 to 60 ms of the page; this takes a millisecond or two.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    mark_safe(_html_attrs(option["attrs"])),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append(mark_safe("</optgroup>"))
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            mark_safe(_html_attrs(widget["attrs"])),
            mark_safe("".join(parts)),
        )


class SearchSelect(forms.Select):
    """A select over more records than a list can hold (every company of a large sales
    organisation), with a search box above it.

    The select holds the empty choice, the chosen record, and under a group of its own the
    first ``limit`` others by name; typing in the box replaces that group with the matches
    (HTMX, from ``options_url``, which answers ``<option>`` elements). Without JavaScript the
    select still offers the chosen record and the first ones. Only the records the field's
    queryset allows are ever accepted: the group only changes what is offered.
    """

    template_name = "includes/search_select.html"
    limit = 50

    def __init__(self, *, options_url: str, search_label: str, group_label: str, attrs=None):
        super().__init__(attrs)
        self.options_url = options_url
        self.search_label = search_label
        self.group_label = group_label

    def get_context(self, name, value, attrs):
        iterator = self.choices
        field = iterator.field
        chosen = [pk for pk in map(parse_id, self.format_value(value)) if pk is not None]
        queryset = iterator.queryset.order_by("name", "pk")
        current = [iterator.choice(obj) for obj in queryset.filter(pk__in=chosen)]
        first = [iterator.choice(obj) for obj in queryset.exclude(pk__in=chosen)[: self.limit]]
        all_choices = self.choices
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        self.choices = [*empty, *current, (self.group_label, first)]
        try:
            context = super().get_context(name, value, attrs)
        finally:
            self.choices = all_choices
        # The search box, the group and the status line are named after the select's id: a
        # form without ids (auto_id=False) gets one from the field's name.
        select_id = context["widget"]["attrs"].setdefault("id", f"id_{name}")
        context["widget"] |= {
            "options_url": self.options_url_for(name, chosen, status=f"{select_id}-status"),
            "search_label": self.search_label,
        }
        return context

    def options_url_for(self, name: str, chosen: list, *, status: str) -> str:
        """The search's address. It names the field (the select comes along with the search,
        so that a record picked from the matches stays among them), the chosen record, which
        the select already holds above the group, so that the matches leave it out, and the
        status line that says how many were found (read out by screen readers)."""
        query = urlencode({"name": name, "shown": ",".join(map(str, chosen)), "status": status})
        return f"{reverse(self.options_url)}?{query}"
