"""Import every model module, so that Base.metadata knows all tables (for Alembic and tests)."""

from domain.applications import models as applications_models
from domain.policies import models as policies_models

__all__ = ["applications_models", "policies_models"]
