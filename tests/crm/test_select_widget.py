"""Selects are written by the project's own select template (one include per option was the
slowest part of pages listing every user): what they say must not change."""

from django import forms
from django.forms.renderers import DjangoTemplates


class Choice(forms.Form):
    owner = forms.ChoiceField(choices=[("", "Everyone"), ("1", "Ana <Ops>"), ("2", "Bruno")])
    teams = forms.MultipleChoiceField(choices=[("n", "North"), ("s", "South")])
    region = forms.ChoiceField(
        choices=[("Europe", [("es", "Spain"), ("fr", "France")]), ("us", "United States")]
    )


def test_a_select_marks_the_chosen_option_and_escapes_labels():
    html = str(Choice({"owner": "2"})["owner"])

    assert '<option value="2" selected>Bruno</option>' in html
    assert '<option value="1">Ana &lt;Ops&gt;</option>' in html
    assert html.count("selected") == 1
    assert 'class="form-select' in html


def test_a_multiple_select_marks_every_chosen_option():
    html = str(Choice({"teams": ["n", "s"]})["teams"])

    assert "multiple" in html
    assert html.count(" selected>") == 2


def test_option_groups_are_kept():
    html = str(Choice({"region": "fr"})["region"])

    assert '<optgroup label="Europe">' in html
    assert '<option value="fr" selected>France</option>' in html
    assert "</optgroup>" in html


def test_the_project_select_says_what_django_own_template_says():
    """Same options, same order, same selection as Django's built-in template."""
    form = Choice({"owner": "1", "teams": ["s"], "region": "es"})
    for name in ("owner", "teams", "region"):
        widget = form.fields[name].widget
        value = form[name].value()
        ours = widget.render(name, value)
        django_own = widget.render(name, value, renderer=DjangoTemplates())

        def options(html):
            return [line.strip() for line in html.splitlines() if "<option" in line]

        assert options(ours) == options(django_own), name
