"""The signature check that docs/api.md gives receivers accepts what the CRM sends, and
refuses a changed body, another secret and an old request."""

import re
import time
from pathlib import Path

from django.conf import settings

from leads import services as leads
from webhooks.sending import signature


def documented_verify():
    text = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text()
    section = text[text.index("## Webhooks") :]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    namespace = {}
    exec(code, namespace)  # noqa: S102 - our own documentation
    return namespace["verify"]


def test_the_documented_check_accepts_what_is_sent(
    endpoint, receiver, rep, django_capture_on_commit_callbacks
):
    verify = documented_verify()
    with django_capture_on_commit_callbacks(execute=True):
        leads.create_lead(by=rep, first_name="Lia", last_name="Lead", owner=rep)
    (request,) = receiver.requests
    header = request.headers["X-CRM-Signature"]

    assert verify(endpoint.secret, header, request.body)
    assert not verify(endpoint.secret, header, request.body.replace(b"Lia", b"Eve"))
    assert not verify("another secret", header, request.body)
    old = int(time.time()) - 600
    assert not verify(endpoint.secret, signature(endpoint.secret, old, request.body), request.body)
