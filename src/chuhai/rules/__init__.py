"""The rules, one module per legal concept. Importing this package registers every rule."""

from chuhai.rules import (  # noqa: F401  (imported for their registrations)
    classification,
    exporter,
    market,
    registration,
    statements,
    vehicle,
    vin,
)
from chuhai.rules.base import REGISTRY, Check, Ctx, DeadlineSpec, RuleImpl

__all__ = ["REGISTRY", "Check", "Ctx", "DeadlineSpec", "RuleImpl"]
