"""Routes outside GraphQL: the endpoint's authentication, health, calendars, exports."""
