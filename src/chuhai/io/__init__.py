"""Reading stock files and exporter profiles into typed data, and writing results back.

* :mod:`chuhai.io.readers`: CSV/XLSX bytes → :class:`RawTable` (text cells, canonical column names);
* :mod:`chuhai.io.parse`: :class:`RawTable` or records → :class:`ParsedTable` (typed columns + problems);
  :func:`load_vehicle_file` / :func:`load_vehicle_bytes` read and parse in one go (the screening
  pipeline's fast path);
* :mod:`chuhai.io.profile`: the exporter profile (YAML/JSON) → :class:`ExporterProfile`;
* :mod:`chuhai.io.writers`: result frames → CSV (UTF-8 with BOM or GB18030) and XLSX, formula-safe.
"""

from __future__ import annotations

from chuhai.io.parse import ParsedTable, load_vehicle_bytes, load_vehicle_file, parse_records, parse_vehicles
from chuhai.io.profile import ExporterProfile, exporter_from_mapping, load_exporter_profile
from chuhai.io.readers import RawTable, VehicleFileError, read_vehicle_bytes, read_vehicle_file
from chuhai.io.writers import write_results_csv, write_results_xlsx

__all__ = [
    "ExporterProfile",
    "ParsedTable",
    "RawTable",
    "VehicleFileError",
    "exporter_from_mapping",
    "load_exporter_profile",
    "load_vehicle_bytes",
    "load_vehicle_file",
    "parse_records",
    "parse_vehicles",
    "read_vehicle_bytes",
    "read_vehicle_file",
    "write_results_csv",
    "write_results_xlsx",
]
