"""Who may do what, in one place: one module per domain.

Row rules are functions from the viewer to a SQLAlchemy where-clause, used by every list,
loader and count alike. Field rules are predicates on (viewer, row). Action rules raise
`Forbidden`. Nothing here knows GraphQL or HTTP.
"""

from hub.access.permissions.errors import Forbidden, NotSignedIn

__all__ = ["Forbidden", "NotSignedIn"]
