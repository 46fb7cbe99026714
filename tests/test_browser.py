"""The web app and the static report in a real browser (Debian's Chromium driven by Playwright).

Skipped when /usr/bin/chromium or the playwright package is missing (.ci/browser-setup.sh installs them),
except where STORYLINE_REQUIRE_BROWSER=1 (CI sets it): there a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from browser_util import CHROMIUM, chromium, live_server
from web_data import corpus_store

if os.environ.get("STORYLINE_REQUIRE_BROWSER") == "1":
    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is not installed (run .ci/browser-setup.sh)"
    import playwright.sync_api  # noqa: F401 - a missing package must fail, not skip
elif not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is not installed (run .ci/browser-setup.sh)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def server() -> str:
    with live_server(corpus_store("browser")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def _story_with_quotes(page, server: str) -> None:
    page.goto(server + "/")
    links = page.locator("#story-table a")
    assert links.count() >= 4
    # the largest story (the list is sorted by size) has the most quote renderings
    links.first.click()
    page.wait_for_selector("h1.story-title")


def test_story_list_story_and_quote_citation(page, server):
    _story_with_quotes(page, server)
    assert page.locator("svg.timeline").count() == 1 and page.locator("table.matrix").count() == 1
    cite = page.locator("[id^=quotes-] a.cite").first
    cite.click()
    page.wait_for_url(re.compile(r"/articles/[^?]+\?hl=\d+-\d+#cited$"))
    marked = page.locator("mark.hl-cited")
    assert marked.count() >= 1 and marked.first.is_visible()
    assert page.locator("mark.hl-quote").count() >= 1


def test_search_for_a_speaker(page, server):
    page.goto(server + "/")
    page.fill("form.quick input[name=q]", "Tarasov")
    page.press("form.quick input[name=q]", "Enter")
    page.wait_for_selector("ol.results li")
    assert "Tarasov" in page.locator("ol.results").inner_text()
    page.locator("ol.results li.kind-quote a.passage").first.click()
    page.wait_for_selector("mark.hl-cited")


def test_upload_a_file_and_see_it_appear(page, server, tmp_path: Path):
    doc = tmp_path / "pilots.txt"
    doc.write_text("Harbour pilots join Caldmouth dock strike\n\nCALDMOUTH, March 14 -- Harbour pilots joined the "
                   "strike at Caldmouth port on Thursday. \"We stand with the dockers,\" said Marta Lind.\n")
    page.goto(server + "/ingest")
    page.set_input_files("form.upload input[name=files]:not([webkitdirectory])", str(doc))
    page.click("form.upload button[type=submit]")
    page.wait_for_selector("ul.new-articles a", timeout=90000)
    page.click("ul.new-articles a >> text=Harbour pilots")
    page.wait_for_selector("h1.article-title")
    assert "Harbour pilots join Caldmouth dock strike" in page.inner_text("h1.article-title")


def test_script_in_an_article_is_shown_not_run(page, server):
    page.goto(server + "/articles?q=Hostile")
    page.locator("table.list a").first.click()
    page.wait_for_selector("div.body")
    assert "<script>window.__pwned=3;alert(3)</script>" in page.inner_text("div.body")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.goto(server + "/search?q=banner+harbour")
    page.goto(server + "/")
    assert page.evaluate("typeof window.__pwned") == "undefined" and page.dialogs == []


def test_static_report_from_file_url(page, tmp_path: Path):
    from storyline import pipeline

    _, report = pipeline.export_report(corpus_store("report"), tmp_path / "out")
    from playwright.sync_api import expect

    page.goto(report.as_uri())
    expect(page.locator("section.page:not([hidden]) h1")).to_have_text("Stories")
    first = page.locator("#story-table a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"#story/.+"))  # pages switch by the URL hash, after the click returns
    expect(page.locator("section.page:not([hidden]) h1.story-title")).to_have_text(title)
    page.locator("section.page:not([hidden]) ol.summary a.cite").first.click()
    page.wait_for_url(re.compile(r"#article/.+"))
    expect(page.locator("section.page:not([hidden]) h1.article-title")).to_have_count(1)
    expect(page.locator("section.page:not([hidden]) mark.cited").first).to_be_visible()
    page.go_back()
    expect(page.locator("section.page:not([hidden]) h1.story-title")).to_have_text(title)
    assert page.evaluate("typeof window.__pwned") == "undefined" and page.dialogs == []
