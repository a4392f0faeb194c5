import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import REMIND_CHOICES, Activity
from activities.services import NextStep
from crm.versions import VersionedForm
from infra.rendering import DatePicker

# Calls, meetings, emails and tasks: what can be logged or scheduled (a note has its own form).
ACTION_KINDS = [choice for choice in Activity.Kind.choices if choice[0] != Activity.Kind.NOTE]


# A day, in minutes: the longest an activity lasts in a calendar.
MAX_DURATION = 24 * 60


class TimeInput(forms.TimeInput):
    input_type = "time"


class LogActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ACTION_KINDS, initial=Activity.Kind.CALL)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    done_on = forms.DateField(label=_("Done on"), widget=DatePicker, initial=timezone.localdate)
    outcome = forms.CharField(label=_("Outcome"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean_done_on(self) -> datetime.date:
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise forms.ValidationError(_("A logged activity cannot be in the future."))
        return done_on


class ScheduleActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ACTION_KINDS, initial=Activity.Kind.CALL)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    due_date = forms.DateField(label=_("Due on"), widget=DatePicker)
    due_time = forms.TimeField(label=_("At"), widget=TimeInput, required=False)
    duration = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=MAX_DURATION,
        required=False,
        help_text=_("From its time; 30 minutes when left empty."),
    )
    remind_minutes_before = forms.TypedChoiceField(
        label=_("Remind me"),
        choices=[("", _("No reminder")), *REMIND_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("In the CRM and by email, before its time."),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean_due_date(self) -> datetime.date:
        due_date = self.cleaned_data["due_date"]
        if due_date < timezone.localdate():
            raise forms.ValidationError(_("A scheduled activity cannot be due in the past."))
        return due_date

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("duration")
            and not cleaned.get("due_time")
            and "due_time" not in self.errors
        ):
            self.add_error("duration", _("A duration needs a time to start from."))
        if (
            cleaned.get("remind_minutes_before")
            and not cleaned.get("due_time")
            and "due_time" not in self.errors
        ):
            self.add_error("remind_minutes_before", _("A reminder needs a time to count from."))
        return cleaned


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class CompleteActivityForm(VersionedForm, forms.Form):
    """The outcome of an activity and, in the same form, the next step.

    On an open deal with nothing else planned, the next step is required, unless the form is
    sent with its "No next step for now" button (``SKIP``): the deal is then left without one.
    The form carries the activity's version: completing it once someone else completed or
    changed it is refused.
    """

    SKIP = "no_next_step"  # the name of the button that leaves the deal without a next step

    # What the form shows of the activity (its title, when it is due, whose it is) and what
    # completing it sets: a change to them since the form was opened is named.
    seen_fields = ("kind", "subject", "due_date", "due_time", "owner", "done_at", "done_by")

    outcome = forms.CharField(label=_("Outcome"), max_length=200, required=False)
    next_kind = forms.ChoiceField(
        label=_("Next step: kind"), choices=ACTION_KINDS, initial=Activity.Kind.CALL
    )
    next_subject = forms.CharField(label=_("Next step: subject"), max_length=200, required=False)
    next_due_date = forms.DateField(label=_("Next step: due on"), widget=DatePicker, required=False)
    next_due_time = forms.TimeField(label=_("Next step: at"), widget=TimeInput, required=False)

    def __init__(self, *args, activity: Activity, **kwargs):
        self.instance = self.activity = activity
        super().__init__(*args, **kwargs)
        self.next_step_required = activity.needs_next_step_after()
        # What is typed in the next step's fields is then left aside.
        self.skips_next_step = self.is_bound and bool(self.data.get(self.SKIP))
        if self.next_step_required and not self.skips_next_step:
            self.fields["next_subject"].required = True
            self.fields["next_due_date"].required = True
            message = _("This deal has no other next step: schedule one.")
            self.fields["next_subject"].error_messages["required"] = message
            self.fields["next_due_date"].error_messages["required"] = _("When is the next step?")

    def clean_next_due_date(self) -> datetime.date | None:
        due_date = self.cleaned_data.get("next_due_date")
        if due_date is not None and due_date < timezone.localdate():
            raise forms.ValidationError(_("The next step cannot be due in the past."))
        return due_date

    def clean(self):
        cleaned = super().clean()
        if self.skips_next_step:
            for name in ("next_subject", "next_due_date", "next_due_time"):
                self.errors.pop(name, None)
                cleaned[name] = None
            return cleaned
        subject, due_date = cleaned.get("next_subject"), cleaned.get("next_due_date")
        if subject and not due_date and "next_due_date" not in self.errors:
            self.add_error("next_due_date", _("When is the next step?"))
        if due_date and not subject and "next_subject" not in self.errors:
            self.add_error("next_subject", _("What is the next step?"))
        return cleaned

    def next_step(self) -> NextStep | None:
        if self.skips_next_step or not self.cleaned_data.get("next_subject"):
            return None
        return NextStep(
            kind=self.cleaned_data["next_kind"],
            subject=self.cleaned_data["next_subject"],
            due_date=self.cleaned_data["next_due_date"],
            due_time=self.cleaned_data.get("next_due_time"),
        )
