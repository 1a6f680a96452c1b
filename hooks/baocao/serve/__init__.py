"""Serving the built site on an intranet: atomic releases (``publish``), what a release
must contain (``sitecheck``), the nginx configuration (``nginx``, ``csp``) and the
readers' logins (``htpasswd``). Nothing here imports MkDocs."""

from __future__ import annotations


class ServeError(Exception):
    """Bad input for a serving command: the message is Vietnamese and says what to do.
    Raised before anything is changed."""
