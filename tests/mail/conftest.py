"""A deal of Alice's at Acme, whose people are Jane (its primary contact), Raj, and Olga who
asked not to be emailed; and a mail server on 127.0.0.1 that keeps what it is sent."""

import logging
import socket

import pytest
from aiosmtpd.controller import Controller

from tests.deal_fixtures import deal, other_deal, stage  # noqa: F401
from tests.factories import make_company, make_contact


@pytest.fixture
def acme(rep):
    return make_company(name="Acme", owner=rep)


@pytest.fixture
def jane(rep, acme):
    return make_contact(name="Jane Doe", email="jane@acme.example", company=acme, owner=rep)


@pytest.fixture
def raj(rep, acme):
    return make_contact(name="Raj Patel", email="raj@acme.example", company=acme, owner=rep)


@pytest.fixture
def olga(rep, acme):
    return make_contact(
        name="Olga Opt", email="olga@acme.example", company=acme, owner=rep, email_opt_out=True
    )


@pytest.fixture
def acme_deal(deal, acme, jane, raj, olga):  # noqa: F811
    deal.company, deal.contact = acme, jane
    deal.save(update_fields=["company", "contact"])
    return deal


# aiosmtpd logs every command it reads at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class Inbox:
    """What the server accepted: one envelope per message."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_mailer(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that the app's mail goes to; its inbox."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = smtp_mailer(controller.port)
    yield inbox
    controller.stop()


@pytest.fixture
def no_smtp_server(settings):
    """Mail goes to a port on 127.0.0.1 where nothing listens: the connection is refused."""
    settings.MAILERS = smtp_mailer(free_port())
