"""The directory's enums as the API names them."""

import strawberry

from hub.domains.directory.errors import DirectoryErrorCode
from hub.infrastructure.models.directory import (
    AffiliationRole,
    AnchorRole,
    Language,
    OrganizationKind,
    Sector,
)

strawberry.enum(OrganizationKind, description="How an organization stands with the alliance.")
strawberry.enum(
    AnchorRole, description="A member organization's anchor role, which brings a committee seat."
)
strawberry.enum(Sector, description="The field an organization works in.")
strawberry.enum(
    AffiliationRole,
    description="A person's part in an organization. A CONTACT answers for its delegation.",
)
strawberry.enum(Language, description="A language the hub speaks: en or es.")
strawberry.enum(DirectoryErrorCode)
