"""The README's receiver code, run exactly as written there."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_verifier() -> dict[str, Any]:
    """A fresh namespace holding the README snippet's `verify_delivery` and its memory."""
    text = README.read_text()
    match = re.search(r"<!-- webhook-verifier -->\n```python\n(.*?)```", text, re.DOTALL)
    assert match is not None, "README.md has no webhook verifier snippet"
    namespace: dict[str, Any] = {}
    exec(compile(match.group(1), "README.md", "exec"), namespace)
    return namespace
