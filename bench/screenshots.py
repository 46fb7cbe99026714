"""Screenshots of the main pages for docs/web.md: story list, story page, article page, search.

    .venv/bin/python bench/screenshots.py [--out docs/screenshots]

Builds the example-corpus store (tests/web_data.py), starts the server on a free loopback port
and drives Debian's Chromium (/usr/bin/chromium) through Playwright.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from browser_util import chromium, live_server  # noqa: E402
from web_data import build_store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    import tempfile

    store = build_store(Path(tempfile.mkdtemp(prefix="storyline-shots-")))  # the example corpus only
    with live_server(store) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(url + "/")
        page.screenshot(path=str(args.out / "story-list.png"))
        page.locator("#story-table a").first.click()
        page.wait_for_selector("h1.story-title")
        page.screenshot(path=str(args.out / "story.png"), full_page=True)
        page.locator("[id^=claims-]").scroll_into_view_if_needed()
        page.screenshot(path=str(args.out / "story-claims.png"))
        page.locator("[id^=quotes-]").scroll_into_view_if_needed()
        page.screenshot(path=str(args.out / "story-quotes.png"))
        page.locator("[id^=quotes-] a.cite").first.click()
        page.wait_for_selector("mark.hl-cited")
        page.screenshot(path=str(args.out / "article.png"))
        page.goto(url + "/search?q=Brandvold+neglect")
        page.screenshot(path=str(args.out / "search.png"))
    for png in sorted(args.out.glob("*.png")):
        print(png.relative_to(REPO) if png.is_relative_to(REPO) else png)


if __name__ == "__main__":
    main()
