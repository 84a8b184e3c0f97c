"""The Coordinating Committee: seats, proposals, voting windows and their outcomes."""
