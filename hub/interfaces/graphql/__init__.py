"""The GraphQL API: thin types over the domain services."""
