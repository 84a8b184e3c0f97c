"""The people import as an admin walks it in a browser (/manage/import): write a member
organization's spreadsheet, upload it, read the preview, import. Only the pages are used:
the file input, buttons and what the pages show."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Page

from tests.directory.people_files import HEADER, ORGANIZATIONS, person_row

SPANISH_HEADER = ("Nombre", "Correo electrónico", "Teléfono", "Organización", "Rol", "Idioma")
TEXTS = {
    "en": {"file": "CSV file", "preview": "Preview", "import": "Import"},
    "es": {"file": "Archivo CSV", "preview": "Vista previa", "import": "Importar"},
}
COUNTED = ("rows", "create", "update", "unchanged", "error")


@dataclass(frozen=True)
class PeopleFile:
    path: Path
    valid_emails: list[str]
    # The bad rows' line numbers (the header is line 1) and the reason each is skipped.
    bad_lines: dict[int, str]


def write_people_csv(
    path: Path,
    *,
    organizations: Sequence[str] = ORGANIZATIONS,
    people: int = 70,
    spanish: bool = False,
) -> PeopleFile:
    """A spreadsheet of `people` rows from every one of `organizations` (by default the demo
    alliance's 44 members and partners), three of them bad: an invalid email, an organization
    not in the directory and a missing name. In Spanish, it is saved as Excel does there:
    `;`-separated, with a byte order mark."""
    bad = {
        10: ("INVALID_EMAIL", ["Rosa Peña", "rosa.pena(at)example.org", "", organizations[0]]),
        35: ("UNKNOWN_ORGANIZATION", ["Mai Nguyen", "mai@nowhere.example.org", "", "Nowhere"]),
        60: ("MISSING_NAME", ["", "nameless@members.example.org", "", organizations[1]]),
    }
    rows, valid = [], []
    for line in range(2, people + 2):
        if line in bad:
            rows.append([*bad[line][1], "member", "en"])
            continue
        row = person_row(len(valid), organizations)
        valid.append(row[1])
        rows.append(row)
    with path.open("w", encoding="utf-8-sig" if spanish else "utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";" if spanish else ",", lineterminator="\r\n")
        writer.writerow(SPANISH_HEADER if spanish else HEADER)
        writer.writerows(rows)
    return PeopleFile(path, valid, {line: reason for line, (reason, _) in bad.items()})


async def preview_people_csv(page: Page, path: Path, *, language: str = "en") -> dict[str, int]:
    """Uploads the file on /manage/import; the preview's counts."""
    texts = TEXTS[language]
    await page.goto("/manage/import")
    await page.get_by_label(texts["file"]).set_input_files(path)
    await page.get_by_role("button", name=texts["preview"], exact=True).click()
    await page.locator("dl.import-counts").wait_for()
    return await shown_counts(page)


async def import_people_csv(page: Page, path: Path, *, language: str = "en") -> dict[str, int]:
    """Uploads the file, reads the preview, and imports its valid rows when there are any
    to import; what was done (the preview's counts when nothing was left to import)."""
    previewed = await preview_people_csv(page, path, language=language)
    button = page.locator("form.import-confirm button")
    if not await button.count():
        return previewed
    assert (await button.inner_text()).startswith(TEXTS[language]["import"])
    await button.click()
    await page.locator("dl.import-counts[data-result]").wait_for()
    return await shown_counts(page)


async def shown_counts(page: Page) -> dict[str, int]:
    """The counts a preview or a result shows, by status."""
    counts = {}
    for name in COUNTED:
        cell = page.locator(f"dl.import-counts dd[data-count={name}]")
        if await cell.count():
            counts[name] = int(await cell.inner_text())
    return counts


async def shown_errors(page: Page) -> dict[int, list[str]]:
    """The preview's rows in error: their line and the reasons the page gives."""
    found = {}
    for card in await page.locator("section[aria-labelledby=rows-error] > ol > li").all():
        line = int(await card.get_attribute("data-line") or 0)
        found[line] = [t.strip() for t in await card.locator("ul > li").all_inner_texts()]
    return found
