"""What every page of the report declares so that the browser keeps it offline.

``report.html`` must open without any request to any host. The page is written that way (every
image, style, font and script inline), and :data:`CSP_META`, placed first in its ``<head>``, makes
the browser enforce it: the Content-Security-Policy allows images and fonts only from ``data:``
URLs, styles and scripts only inline, and nothing else (no ``fetch``, no external image, style,
script, font, frame or form target, not even another local file). A page that tried would show
a broken image or a failed ``fetch`` and a console error, which the browser test fails on.

``'unsafe-inline'`` is what a single-file page needs for its ``<style>`` and ``<script>`` elements
and for the ``style`` attributes of matplotlib's SVG; text from the exports reaches the page only
through Jinja's autoescaping, so it cannot add an element.
"""

from __future__ import annotations

from typing import Final

CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)
"""The policy: ``default-src 'none'`` and the few inline and ``data:`` sources the page uses.

``base-uri`` and ``form-action`` do not fall back to ``default-src``, so they are named. A
``<meta>`` policy cannot carry ``frame-ancestors`` or ``report-uri``; a local file needs neither.
"""

CSP_META: Final = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
"""The ``<meta>`` element for :data:`CONTENT_SECURITY_POLICY`: first in ``<head>``, after
``<meta charset>``, before any style or script (a policy applies only to what follows it)."""
