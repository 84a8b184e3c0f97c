"""The convenings' mutations (to be written by the convenings work)."""

import strawberry


@strawberry.type
class ConveningMutation:
    pass
