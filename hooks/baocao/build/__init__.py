"""One build of the site, whatever runs it: :class:`~baocao.build.session.Engine` and its
:class:`~baocao.build.session.BuildSession`.

The MkDocs hook module (``hooks/mkdocs_adapter.py``) only forwards MkDocs' events here; this
package holds what a build does between them (the check, the page plan, the staging
folder, the published-files rule, the error site under serve, the downloads, the garbage
collector's policy) and imports nothing from MkDocs.
"""
