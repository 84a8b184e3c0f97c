"""The directory's enums as the API names them."""

import strawberry

from hub.directory.errors import DirectoryErrorCode as _DirectoryErrorCode
from hub.models.directory import AffiliationRole as _AffiliationRole
from hub.models.directory import AnchorRole as _AnchorRole
from hub.models.directory import Language as _Language
from hub.models.directory import OrganizationKind as _OrganizationKind
from hub.models.directory import Sector as _Sector

OrganizationKind = strawberry.enum(
    _OrganizationKind, description="How an organization stands with the alliance."
)
AnchorRole = strawberry.enum(
    _AnchorRole, description="A member organization's anchor role, which brings a committee seat."
)
Sector = strawberry.enum(_Sector, description="The field an organization works in.")
AffiliationRole = strawberry.enum(
    _AffiliationRole,
    description="A person's part in an organization. A CONTACT answers for its delegation.",
)
Language = strawberry.enum(_Language, description="A language the hub speaks: en or es.")
DirectoryErrorCode = strawberry.enum(_DirectoryErrorCode)
