"""The `format` checks used when validating requests and responses.

jsonschema checks `uri` only when an optional RFC 3987 package is installed, and none is, so this module adds an
RFC 3986 `uri` check of its own: an absolute URI (scheme, then `:`), with every character where the grammar allows it.
"""

import ipaddress
import re

from jsonschema import FormatChecker

_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_PCT_ENCODED = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT_ENCODED})"
_USERINFO = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT_ENCODED})*"
_REG_NAME = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT_ENCODED})*"
# The inside of `[...]` is checked separately (an IPv6 address is easier to check with ipaddress than with a regex).
_IP_LITERAL = r"\[(?P<ip_literal>[^\[\]/?#@]*)\]"
_AUTHORITY = rf"(?:{_USERINFO}@)?(?:{_IP_LITERAL}|{_REG_NAME})(?::[0-9]*)?"
_SEGMENT = rf"{_PCHAR}*"
_HIER_PART = rf"(?://{_AUTHORITY}(?:/{_SEGMENT})*|/(?:{_PCHAR}+(?:/{_SEGMENT})*)?|{_PCHAR}+(?:/{_SEGMENT})*|)"
_QUERY_OR_FRAGMENT = rf"(?:{_PCHAR}|[/?])*"
_URI = re.compile(rf"[A-Za-z][A-Za-z0-9+\-.]*:{_HIER_PART}(?:\?{_QUERY_OR_FRAGMENT})?(?:#{_QUERY_OR_FRAGMENT})?")
_IP_FUTURE = re.compile(rf"[vV][0-9A-Fa-f]+\.[{_UNRESERVED}{_SUB_DELIMS}:]+")


def is_uri(instance: object) -> bool:
    """Tell whether a value is an absolute URI as RFC 3986 defines it.

    Args:
        instance: The value to check; anything but a string passes, as JSON Schema formats only apply to strings.

    Returns:
        False only for a string that is not a URI.
    """
    if not isinstance(instance, str):
        return True
    match = _URI.fullmatch(instance)
    if match is None:
        return False
    ip_literal = match.group("ip_literal")
    if ip_literal is None:
        return True
    if _IP_FUTURE.fullmatch(ip_literal):
        return True
    try:
        ipaddress.IPv6Address(ip_literal)
    except ValueError:
        return False
    # ipaddress accepts a zone id ("fe80::1%eth0"), which RFC 3986 does not.
    return "%" not in ip_literal


def format_checker() -> FormatChecker:
    """Build the format checker: every format jsonschema can check here, plus `uri`.

    Returns:
        A new FormatChecker.
    """
    checker = FormatChecker()
    checker.checks("uri")(is_uri)
    return checker
