"""Chuhai's case-management service: the Django project (settings, apps, REST API, job queue).

The core (``chuhai.engine``, ``chuhai.rules``, ``chuhai.workdays`` …) never imports anything from here;
this package is an adapter around it. One app per area (organisations, vehicles, licences, customs,
aftersales, imports, audit), each holding its models, services, queries, pages (``views``/``urls``)
and API router (``api``); :mod:`chuhai.web.cases` holds what the areas share (the actor and scoping,
transitions, deadlines, documents, the demo); :mod:`chuhai.web.api` assembles the routers into one
API and :mod:`chuhai.web.ui` is the shell of the pages (sign-in, dashboard, deadlines, rule library,
templates). Views and endpoints only translate HTTP to service calls.
"""
