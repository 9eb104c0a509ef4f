"""The HTTP of the WHIP and WHEP scripts (RFC 9725), on the standard library."""

import urllib.error
import urllib.request


def request(method, url, body=None, headers=None):
    """One HTTP request; returns (status, headers, body) for any status."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()
