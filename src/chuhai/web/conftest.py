"""Keep pytest's ``--doctest-modules`` from importing the Django project without settings.

The web package's tests live in ``tests/web`` (which configures Django); its modules need Django set
up before import, so doctest collection skips them. ``chuhai.services`` (framework-free) keeps its
doctests.
"""

collect_ignore_glob = ["*.py", "*/*.py", "*/*/*.py", "*/*/*/*.py", "*/*/*/*/*.py"]
