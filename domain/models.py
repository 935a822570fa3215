"""Import every model module, so that Base.metadata knows all tables (for Alembic and tests)."""

from domain.applications import models as applications_models
from domain.audit import models as audit_models
from domain.departments import models as departments_models
from domain.documents import models as documents_models
from domain.enterprises import models as enterprises_models
from domain.fulfilment import models as fulfilment_models
from domain.notices import models as notices_models
from domain.policies import models as policies_models
from domain.timeliness import models as timeliness_models

__all__ = [
    "applications_models",
    "audit_models",
    "departments_models",
    "documents_models",
    "enterprises_models",
    "fulfilment_models",
    "notices_models",
    "policies_models",
    "timeliness_models",
]
