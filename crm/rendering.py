"""Bootstrap look for every form, without repeating widget classes in each form."""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


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
