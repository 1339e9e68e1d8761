"""Framework-free building blocks of the case-management service.

``statemachine`` holds the declarative transition tables' machinery and ``deadlines`` the deadline
arithmetic; both are plain Python (no Django), so they can be used and tested without a database.
The database-backed services that use them live in the web apps (``chuhai.web.<area>.services``).
"""
