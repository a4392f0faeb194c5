"""The quotas page's table, written in Python rather than by a template loop: an
administrator's has a row for each of some two hundred reps, each with its buttons, and a
template loop over them cost more than the rest of the page (as ``reports.tables`` found for
the report tables). Every text is escaped."""

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from infra.numbers import Numbers


def quota_rows(request, rows: list[dict], *, period: str, can_set: bool) -> SafeString:
    """The ``<tr>`` of each row (``views._rows``): its team or rep, its quota's figures or
    "No quota", and for who may set quotas, the buttons to set, change or remove it."""
    numbers = Numbers()
    no_quota = escape(gettext("No quota"))
    change, set_one, remove = (escape(gettext(text)) for text in ("Change", "Set", "Remove"))
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    html = []
    for row in rows:
        who, quota, kind = row["who"], row["quota"], row["kind"]
        if kind == "team":
            name = escape(gettext("%(team)s (team)") % {"team": who})
        else:
            name = escape(str(who))
            if who.team_id is not None:
                name += format_html(
                    ' <span class="small text-body-secondary fw-normal">{}</span>', who.team
                )
        cells = [f'<th scope="row">{name}</th>']
        if quota is None:
            cells.append(f'<td class="text-end text-body-secondary" colspan="3">{no_quota}</td>')
            cells.append("<td></td>")
        else:
            deals = "–" if quota.deals is None else numbers.number(quota.deals)
            activities = "–" if quota.activities is None else numbers.number(quota.activities)
            cells += [
                '<td class="text-end" data-figure="amount">'
                f"{numbers.number(quota.amount, 2, grouped=True)}</td>",
                f'<td class="text-end" data-figure="deals">{deals}</td>',
                f'<td class="text-end" data-figure="activities">{activities}</td>',
                f'<td class="small">{escape(quota.set_by or "–")}</td>',
            ]
        if can_set:
            hidden = f'<span class="visually-hidden"> {escape(str(who))}</span>'
            field = "team" if kind == "team" else "rep"
            actions = [
                f'<a class="btn btn-sm btn-outline-secondary" href="?period={escape(period)}'
                f'&amp;{field}={who.pk}#quota-form">{change if quota else set_one}{hidden}</a>'
            ]
            if quota is not None:
                url = escape(reverse("forecasting:quota_remove", args=[quota.pk]))
                actions.append(
                    f'<form method="post" action="{url}" class="d-inline" hx-post="{url}" '
                    f'hx-target="#quotas" hx-swap="outerHTML">{csrf}'
                    f'<button type="submit" class="btn btn-sm btn-outline-danger">{remove}'
                    f"{hidden}</button></form>"
                )
            cells.append(f'<td class="text-end text-nowrap">{" ".join(actions)}</td>')
        html.append(f'<tr data-quota="{kind}-{who.pk}">{"".join(cells)}</tr>\n')
    return mark_safe("".join(html))  # noqa: S308 (every text is escaped, the rest is markup)
