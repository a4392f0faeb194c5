"""The opportunity page says how long deals at its stage usually take to close."""

from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def _render(opportunity, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load opportunity_tags %}{% stage_velocity_note opportunity %}")
    return template.render(Context({"request": request, "opportunity": opportunity}))


def test_note_gives_days_to_close_and_win_chance(sales, manager, django_assert_num_queries):
    # Globex is in Proposal: Stark went from Proposal to won in 88 days; Umbrella was lost.
    # The deal's stage (not loaded yet here) and one aggregate over the stage's history
    with django_assert_num_queries(2):
        html = _render(sales.deals.d2, manager)

    assert "Deals at Proposal usually close in about 88 days." in html
    assert "50 % of them were won (of 2 closed deals)." in html


def test_no_note_without_won_history(sales, other_rep):
    # Charlie's only deal is open: there is nothing to learn from yet.
    assert _render(sales.deals.d9, other_rep).strip() == ""


def test_a_single_day_to_close_reads_in_the_singular(sales):
    stage = sales.deals.d2.stage
    velocity = {"days_to_close": 1.4, "win_chance": None, "closed_deals": 1}
    context = {"velocity": velocity, "stage": stage}

    with translation.override("en"):
        english = render_to_string("opportunities/includes/stage_velocity.html", context)
    with translation.override("es"):
        spanish = render_to_string("opportunities/includes/stage_velocity.html", context)

    assert "Deals at Proposal usually close in about 1 day." in english
    assert "suelen cerrarse en aproximadamente 1 día." in spanish
