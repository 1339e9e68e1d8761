"""The case-management services: every business operation, called by the pages, the API, the demo
loader and the worker alike. Views and endpoints stay thin over these functions (STYLE.md §8).
"""
