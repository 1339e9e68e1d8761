"""The lawbook: all of ``law/`` — rules, parameters, references, the working-day calendar, the tariff,
destination markets, WMIs, declaration elements and the workflow rules — as one
:class:`~chuhai.engine.law.Law` with one version, read from the shipped law with a local law
directory over it (:mod:`chuhai.lawbook.layout`). Every module asks it (``lawbook.current()``)
instead of reading law files itself.

``law/`` is data only; this package is the code that reads it:

* :mod:`~chuhai.lawbook.layout`: the file layout and the overlay rule of a local law directory;
* :mod:`~chuhai.lawbook.book`: loading and caching (per directory), :func:`current`, :func:`configure`;
* :mod:`~chuhai.lawbook.texts`: legal numbers and citations named in texts (``{group.name}``,
  ``{ref:id}``) filled from the data;
* :mod:`~chuhai.lawbook.notice`: reading a State Council holiday notice into a calendar year, and
  writing it into a local law directory;
* :mod:`~chuhai.lawbook.diff`: what differs between two laws (shipped and local);
* :mod:`~chuhai.lawbook.declaration_elements`, :mod:`~chuhai.lawbook.workflow`: readers of those two
  files (the other sections are read by the modules that own their format: :mod:`chuhai.workdays`,
  :mod:`chuhai.classification`, :mod:`chuhai.markets`, :mod:`chuhai.identifiers.vin`,
  :mod:`chuhai.engine.law`).

>>> law = current()
>>> law.version.startswith(law.release), law.calendar.covered_years()[0]
(True, 2025)
"""

from __future__ import annotations

from chuhai.lawbook.book import (
    china_today,
    compose,
    configure,
    current,
    digest,
    forget,
    forget_local_dirs,
    load,
    load_tree,
    local_dir,
    refresh,
)
from chuhai.lawbook.layout import LOCAL_DIR_ENV, SHIPPED_DIR, LawFile, effective_files

__all__ = [
    "LOCAL_DIR_ENV",
    "SHIPPED_DIR",
    "LawFile",
    "china_today",
    "compose",
    "configure",
    "current",
    "digest",
    "effective_files",
    "forget",
    "forget_local_dirs",
    "load",
    "load_tree",
    "local_dir",
    "refresh",
]
