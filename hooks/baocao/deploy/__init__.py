"""The deployment: serving the built site on an intranet with nginx. Atomic releases
(``publish``), what a release must contain (``sitecheck``), the nginx configuration
(``nginx``, ``csp``), nginx's own pages (``errorpages``) and the readers' logins
(``htpasswd``). Not to be confused with ``baocao serve``, the preview on this PC (MkDocs'
own server: :mod:`baocao.mkdocs_run`). Nothing here imports MkDocs."""

from __future__ import annotations


class DeployError(Exception):
    """Bad input for a deployment command: the message is Vietnamese and says what to do.
    Raised before anything is changed."""
