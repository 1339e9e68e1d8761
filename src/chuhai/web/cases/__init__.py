"""What the case areas share: the actor and organisation scoping (``context``), recorded transitions
(``transitions``), the deadlines of all cases, the generated documents, rule titles and the demo
loader. Each area's own services live in its app (``chuhai.web.<area>.services``), called by the
pages, the API, the demo loader and the worker alike (STYLE.md §8).
"""
