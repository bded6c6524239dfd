"""Production settings: everything in settings.py plus HTTPS-only cookies and HSTS.

Use behind a TLS-terminating proxy: DJANGO_SETTINGS_MODULE=fleksi.config.settings_production.
"""

from __future__ import annotations

import os

from .settings import *  # noqa: F403
from .settings import CONTENT_SECURITY_POLICY as _BASE_CSP
from .settings import env_bool

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
WHITENOISE_USE_FINDERS = False

# The same strict Content-Security-Policy as settings.py (no inline script or style), and
# browsers upgrade any http:// subresource to https://.
CONTENT_SECURITY_POLICY = {
    **_BASE_CSP,
    "DIRECTIVES": {**_BASE_CSP["DIRECTIVES"], "upgrade-insecure-requests": True},
}
# Behind the TLS proxy REMOTE_ADDR is the proxy's: the lockout counts addresses from the
# X-Forwarded-For hop the proxy added (set FLEKSI_PROXY_COUNT=0 when the app faces clients).
FLEKSI_PROXY_COUNT = int(os.environ.get("FLEKSI_PROXY_COUNT", 1))
