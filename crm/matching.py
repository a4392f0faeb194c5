"""How emails, phones and domains are normalised so that records can be matched.

The same rules exist twice on purpose: in Python (for the value a user just typed) and as a
database expression (for the stored, indexed columns). They are built from the same constants
so that they cannot drift apart.

Company names and websites are matched on keys that only Python writes (accents, legal forms,
free mail, international names have no SQL both databases share): ``company_name_key`` and
``company_domain``, stored by ``Company.save``.
"""

import re
import unicodedata

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Lower, Replace, Trim

from crm.phones import stored_phone_or_as_is

PHONE_SEPARATORS = " -().+/"


def normalize_email(value: str | None) -> str:
    return (value or "").strip().lower()


def strip_phone(value: str | None) -> str:
    """``value`` trimmed and without separators, as the stored columns strip the stored phone
    (what a search for part of a number compares)."""
    text = (value or "").strip()
    for char in PHONE_SEPARATORS:
        text = text.replace(char, "")
    return text


def normalize_phone(value: str | None) -> str:
    """A number as the stored column holds it once saved: read into E.164 first, so that
    ``612 345 678`` typed in Spain and a stored ``+34612345678`` both become ``34612345678``.
    Text that is no number is only stripped."""
    return strip_phone(stored_phone_or_as_is(value))


def phone_keys(value: str | None) -> list[str]:
    """What a stored column may hold for the number ``value``: its E.164 form, and the number
    as typed, which is how a phone saved before numbers were checked is still stored."""
    keys = {normalize_phone(value), strip_phone(value)} - {""}
    return sorted(keys)


def normalize_domain(value: str | None) -> str:
    """``https://www.Example.com:8080/about``, ``someone@example.com`` and ``example.com.`` all
    become ``example.com``. An international name is written out whichever way it came
    (``xn--bcher-kva.de`` and ``BÜCHER.de`` are ``bücher.de``)."""
    text = (value or "").strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
        text = re.split(r"[/?#]", text, maxsplit=1)[0].rsplit("@", 1)[-1]  # user:password@host
    else:
        text = text.rsplit("@", 1)[-1].split("/", 1)[0]
    host = text.split(":", 1)[0].strip(".").removeprefix("www.")
    return ".".join(_unicode_label(label) for label in host.split(".")) if host else ""


def _unicode_label(label: str) -> str:
    if label.startswith("xn--"):
        try:
            label = label.encode("ascii").decode("idna")
        except UnicodeError:
            return label
    return unicodedata.normalize("NFC", label)


def domain_spellings(domain: str) -> list[str]:
    """The ways a stored column may hold ``domain`` (as ``normalize_domain`` writes it): so, and
    in the ASCII form an address typed as ``ana@xn--bcher-kva.de`` keeps."""
    spellings = [domain]
    try:
        ascii_form = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return spellings
    return spellings if ascii_form == domain else [domain, ascii_form]


def email_domain(email: str | None) -> str:
    email = normalize_email(email)
    return normalize_domain(email.rsplit("@", 1)[-1]) if "@" in email else ""


# Addresses anyone can open: people of many companies write from them, so they tell nothing of
# which company someone works for. Families of the same provider in several countries
# (hotmail.es, yahoo.co.uk, gmx.at) are below, by the provider's name.
FREE_MAIL_DOMAINS = frozenset(
    """
    gmail.com googlemail.com outlook.com msn.com windowslive.com ymail.com rocketmail.com
    icloud.com me.com mac.com aol.com aim.com web.de t-online.de freenet.de arcor.de
    proton.me protonmail.com protonmail.ch pm.me tutanota.com tuta.io fastmail.com zoho.com
    mail.com mail.ru bk.ru inbox.ru list.ru rambler.ru ukr.net qq.com foxmail.com
    163.com 126.com yeah.net 139.com sina.com naver.com hanmail.net daum.net rediffmail.com
    orange.fr wanadoo.fr free.fr sfr.fr laposte.net libero.it virgilio.it tiscali.it alice.it
    telefonica.net terra.es seznam.cz wp.pl o2.pl onet.pl interia.pl abv.bg bluewin.ch
    ziggo.nl kpnmail.nl hetnet.nl telenet.be skynet.be sapo.pt uol.com.br bol.com.br
    terra.com.br btinternet.com sky.com virginmedia.com comcast.net verizon.net att.net
    sbcglobal.net
    """.split()  # noqa: SIM905 (a list of names reads best as words)
)
# hotmail.*, live.*, yahoo.*, ...: the provider's name, then a country's ending (live.co.uk,
# yahoo.com.ar); a company's own host under such a name (live.example.org) is no free mail.
FREE_MAIL_PROVIDERS = re.compile(
    r"(?:hotmail|live|outlook|yahoo|gmx|yandex)\.(?:(?:co|com)\.)?[a-z]{2,6}"
)


def is_free_mail(domain: str) -> bool:
    """Whether ``domain`` (or the domain it is under: mail.yahoo.co.uk) is a free mail one."""
    labels = normalize_domain(domain).split(".")
    for start in range(len(labels) - 1):
        under = ".".join(labels[start:])
        if under in FREE_MAIL_DOMAINS or FREE_MAIL_PROVIDERS.fullmatch(under):
            return True
    return False


def company_domain(value: str | None) -> str:
    """The domain a website, an address or a typed domain says a company has; empty for a free
    mail one (``ana@gmail.com`` works for no company in particular)."""
    domain = normalize_domain(value)
    return "" if not domain or "." not in domain or is_free_mail(domain) else domain


# What a company is registered as, after its name: "S.L.", "GmbH", "Pty Ltd". Written as
# ``company_name_key`` reads them (lower case, accents and dots gone), so "S. L." is "sl".
LEGAL_FORMS = frozenset(
    """
    sl slu sll slne sa sau sal scoop sc scp sccl cb cia
    gmbh mbh ag kg ohg ug kgaa gbr ev se
    ltd limited plc llp lp llc pllc inc incorporated corp corporation co company
    sarl sas sasu eurl snc sca
    bv nv vof cv bvba sprl srl spa sapa srls
    oy oyj ab as asa aps hf
    pty pte bhd sdn kk
    lda ltda sro spzoo zrt kft doo ad ooo zao oao pjsc
    """.split()  # noqa: SIM905 (a list of names reads best as words)
)
# Left behind once the form is gone: "García y Cía" is "García".
CONJUNCTIONS = frozenset({"and", "y", "e", "et", "und", "en", "og", "och"})


def company_name_key(name: str | None) -> str:
    """The name with what varies between two spellings of one company taken out: case,
    accents, punctuation, spaces, and the legal form at its end. "Bodegas Almendral, S.L.",
    "BODEGAS ALMENDRAL SL" and "Bodegas-Almendral" are all ``bodegasalmendral``.

    A name that is nothing but a legal form ("SA") keeps it, or every such name would match.
    """
    plain = unicodedata.normalize("NFKD", (name or "").casefold())
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    # Dots and apostrophes join what they stand between (S.L. is sl, O'Neil is oneil);
    # anything else that is not a letter or a digit parts words.
    plain = re.sub(r"[.'’]", "", plain)
    words = "".join(char if char.isalnum() else " " for char in plain).split()
    stem = _without_legal_form(words)
    return "".join(stem or words)[:200]


def _without_legal_form(words: list[str]) -> list[str]:
    words = list(words)
    stripped = False
    while words:
        # Initials spaced out ("S A", "B V") are read as one form.
        initials = 0
        while initials < len(words) and len(words[-1 - initials]) == 1:
            initials += 1
        if initials > 1 and "".join(words[-initials:]) in LEGAL_FORMS:
            del words[-initials:]
        elif words[-1] in LEGAL_FORMS or (stripped and words[-1] in CONJUNCTIONS):
            del words[-1]
        else:
            break
        stripped = True
    return words


def normalized_email_expression(field: str):
    return Lower(Trim(F(field)))


def normalized_phone_expression(field: str):
    expression = Trim(F(field))
    for char in PHONE_SEPARATORS:
        expression = Replace(expression, Value(char), Value(""))
    return expression


def normalized_email_field(source: str, *, max_length: int = 254) -> models.GeneratedField:
    """A stored column holding ``source`` as ``normalize_email`` writes it, to match on."""
    return models.GeneratedField(
        expression=normalized_email_expression(source),
        output_field=models.CharField(max_length=max_length),
        db_persist=True,
    )


def normalized_phone_field(source: str = "phone") -> models.GeneratedField:
    """A stored column holding ``source`` as ``normalize_phone`` writes it, to match on."""
    return models.GeneratedField(
        expression=normalized_phone_expression(source),
        output_field=models.CharField(max_length=50),
        db_persist=True,
    )
