"""WSGI entry point for gunicorn (make run)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The web server cancels statements over 10 s (config/settings.py says why).
os.environ.setdefault("HERITAGE_STATEMENT_TIMEOUT_MS", "10000")
application = get_wsgi_application()
