"""Chuhai's case-management service: the Django project (settings, apps, REST API, job queue).

The core (``chuhai.engine``, ``chuhai.rules``, ``chuhai.workdays`` …) never imports anything from here;
this package is an adapter around it. Business logic lives in :mod:`chuhai.web.services`, views and API
endpoints only translate HTTP to service calls.
"""
