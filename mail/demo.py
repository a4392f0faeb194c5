"""Demo email templates, in English and Spanish. Idempotent: one already there by name and
language is left alone."""

from mail.models import EmailTemplate

TEMPLATES = [
    (
        "Follow-up",
        "en",
        "{{ opportunity.name }}: next steps",
        "<p>Hello {{ contact.first_name }},</p>"
        "<p>Thank you for your time today. As agreed, here are the next steps for "
        "{{ opportunity.name }}.</p><p>Best regards,<br>{{ sender.full_name }}</p>",
    ),
    (
        "Follow-up",
        "es",
        "{{ opportunity.name }}: próximos pasos",
        "<p>Hola {{ contact.first_name }}:</p>"
        "<p>Gracias por su tiempo hoy. Como acordamos, estos son los próximos pasos para "
        "{{ opportunity.name }}.</p><p>Un saludo,<br>{{ sender.full_name }}</p>",
    ),
    (
        "First contact",
        "en",
        "Hello from {{ sender.full_name }}",
        "<p>Hello {{ contact.first_name }},</p>"
        "<p>I would be glad to show you what we can do for {{ company.name }}. "
        "Would a short call this week suit you?</p><p>{{ sender.full_name }}</p>",
    ),
]


def seed() -> None:
    for name, language, subject, body in TEMPLATES:
        EmailTemplate.objects.get_or_create(
            name=name, language=language, defaults={"subject": subject, "body": body}
        )
