"""Phone numbers: read as people type them, stored in one form, shown as people read them.

A number is read as dialled in the country ``settings.PHONE_REGION`` names (``612 345 678`` in
Spain) unless it carries its own country code (``+49 30 999 000``, ``0049 30 999 000``). It is
stored in E.164 (``+34612345678``), with an extension, if it has one, after it (``+34612345678
ext. 12``). It is shown in the national format when it is in that country (``612 34 56 78``) and
in the international one otherwise (``+49 30 999000``); a ``tel:`` link dials E.164.

Numbers stored before they were checked stay as they were typed until their record is next
saved: they are shown, linked and matched as well as they can be read, never hidden.
"""

import phonenumbers
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

EXTENSION = " ext. "
INVALID = _("Enter a valid phone number, e.g. +34 612 345 678.")


class InvalidPhone(ValueError):
    """The text is not a phone number that can be dialled."""


def _parse(value: str | None) -> phonenumbers.PhoneNumber | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _stored(number: phonenumbers.PhoneNumber) -> str:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164}{EXTENSION}{number.extension}" if number.extension else e164


def stored_phone(value: str | None) -> str:
    """``value`` as it is stored: E.164 (with its extension); blank stays blank.

    Raises ``InvalidPhone`` for text that is not a valid number.
    """
    if not (value or "").strip():
        return ""
    if (number := _parse(value)) is None:
        raise InvalidPhone(value)
    return _stored(number)


def stored_phone_or_as_is(value: str | None) -> str:
    """``value`` as it is stored if it can be read, else unchanged: for a number brought
    along from another record (stored before numbers were checked), which must not be lost."""
    number = _parse(value)
    return _stored(number) if number is not None else (value or "").strip()


def display_phone(value: str | None) -> str:
    """National format for a number in ``PHONE_REGION``, international for any other."""
    number = _parse(value)
    if number is None:
        return value or ""
    in_region = phonenumbers.region_code_for_number(number) == settings.PHONE_REGION
    return phonenumbers.format_number(
        number,
        phonenumbers.PhoneNumberFormat.NATIONAL
        if in_region
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    )


def tel_phone(value: str | None) -> str:
    """What a ``tel:`` link dials: E.164 (RFC 3966 puts an extension after ``;ext=``)."""
    number = _parse(value)
    if number is None:
        return (value or "").replace(" ", "")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164};ext={number.extension}" if number.extension else e164


class TelInput(forms.TextInput):
    """A phone keypad on touch screens."""

    input_type = "tel"


class PhoneField(forms.CharField):
    """A phone number, cleaned to the form it is stored in; an unreadable one is an error."""

    widget = TelInput
    default_error_messages = {"invalid": INVALID}

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return text
        try:
            return stored_phone(text)
        except InvalidPhone:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
