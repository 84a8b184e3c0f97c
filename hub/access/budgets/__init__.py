"""Budgets: what a query costs, and each caller's points per window, shared by every process."""
