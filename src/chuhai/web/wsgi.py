"""WSGI entry point (``chuhai.web.wsgi:application``) for production servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuhai.web.settings")

application = get_wsgi_application()
