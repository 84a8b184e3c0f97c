"""Turning what people write into what pages and emails show."""
