"""Where a webhook may be sent: the public internet only, unless WEBHOOKS_ALLOW_PRIVATE.

An endpoint's URL is checked when it is saved and again, on the address actually connected
to, at each delivery: a host name may resolve somewhere else by then.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host
from django.utils.translation import gettext as _


class RefusedAddress(ValueError):
    """A URL or address that webhooks may not reach."""


# IPv6 ranges that carry an IPv4 address in their last 32 bits (NAT64, the old compatible
# form, SIIT): that address decides, as a translator would reach it.
IPV4_INSIDE = [
    ipaddress.ip_network(network)
    for network in ("64:ff9b::/96", "64:ff9b:1::/48", "::/96", "::ffff:0:0:0/96")
]


def allowed_address(address: str) -> bool:
    """Whether ``address`` (an IP) is a public one: not loopback, private, link-local,
    reserved, shared or multicast, nor an IPv6 form of such an IPv4 address."""
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return True
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif any(ip in network for network in IPV4_INSIDE):
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> None:
    """Refuse (``RefusedAddress``, with a message for the admin) a URL that is not http(s),
    names this site, or resolves to an address that is not public."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # not a number, or past 65535
        port = -1
    if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
        raise RefusedAddress(_("Enter an http:// or https:// address."))
    if parts.username is not None or parts.password is not None:
        # Never sent, and shown in the admin and in emails: no credentials in the address.
        raise RefusedAddress(_("Leave the user name and password out of the address."))
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return
    # "crm.example.com." is crm.example.com.
    host = parts.hostname.rstrip(".")
    own_hosts = [name for name in settings.ALLOWED_HOSTS if name != "*"]
    # A name is looked up after the own-host check (this site's name may not resolve here);
    # an address literal first says why it is refused.
    if not _is_address(host) and validate_host(host, own_hosts):
        raise RefusedAddress(_("A webhook cannot be sent to this site itself."))
    try:
        found = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise RefusedAddress(_("This host name cannot be found.")) from None
    if not all(allowed_address(info[4][0]) for info in found):
        raise RefusedAddress(
            _("This address is on a private or reserved network, which webhooks may not reach.")
        )
    if validate_host(host, own_hosts):
        raise RefusedAddress(_("A webhook cannot be sent to this site itself."))


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
