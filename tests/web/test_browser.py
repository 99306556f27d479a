"""A real browser (Debian's headless Chromium, driven by Selenium through chromedriver) uses
the pages as a person would: search, gene page with its drawn network, figure card,
enrichment and a SPARQL query. Screenshots go to test-artifacts/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Image requests to PMC fail on a machine without the Internet: the pages work without them.
OFFLINE_OK = ("ncbi.nlm.nih.gov",)


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    chromium = shutil.which("chromium")
    driver_binary = shutil.which("chromedriver")
    if chromium is None or driver_binary is None:
        pytest.fail("Debian's chromium and chromium-driver are needed (.ci/run installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    flags = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    flags += "--disable-background-networking --disable-component-update --disable-sync "
    for flag in (flags + "--window-size=1280,1000").split():
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=driver_binary)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


def _wait(driver, condition, seconds: float = 30):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)


def _console_errors(driver) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and not any(host in entry["message"] for host in OFFLINE_OK)
    ]


def test_a_person_searches_looks_and_queries(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    # Home: search STAT3 among human genes, with the keyboard.
    browser.get(server)
    assert browser.title == "pfocr-kg · pfocr-kg"
    box = browser.find_element(By.ID, "q")
    assert browser.switch_to.active_element == box  # focus starts in the search box
    Select(browser.find_element(By.ID, "taxon")).select_by_value("9606")
    box.send_keys("STAT3", Keys.ENTER)
    _wait(browser, lambda d: "/gene/6774" in d.current_url)
    browser.save_screenshot(str(ARTIFACTS / "gene-stat3.png"))
    assert browser.title.startswith("STAT3 (Homo sapiens)")

    # The gene page of MAPK3: partners, figures, and a drawn network.
    browser.get(server + "gene/5595")
    partners = browser.find_elements(By.CSS_SELECTOR, "#partners tbody tr")
    assert len(partners) == 25
    drawn = _wait(browser, lambda d: d.find_element(By.ID, "network").get_attribute("data-drawn"))
    assert int(drawn) == 26
    canvas = browser.find_elements(By.CSS_SELECTOR, "#network canvas")
    assert canvas and canvas[0].size["width"] > 100
    browser.save_screenshot(str(ARTIFACTS / "gene-mapk3.png"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#figures li")) == 14

    # A figure card, reached by following the first figure.
    browser.find_element(By.CSS_SELECTOR, "#figures li a").click()
    _wait(browser, lambda d: "/figure/" in d.current_url)
    assert browser.find_elements(By.CSS_SELECTOR, "#gene-mentions tbody tr")
    browser.save_screenshot(str(ARTIFACTS / "figure.png"))

    # Enrichment.
    browser.get(server + "enrich")
    browser.find_element(By.ID, "genes").send_keys("STAT3 JAK1 JAK2 SOCS3 IL6")
    browser.find_element(By.CSS_SELECTOR, "form.enrich button").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#enrichment tbody tr"))
    first = browser.find_element(By.CSS_SELECTOR, "#enrichment tbody tr td:nth-child(4)")
    assert first.text == "JAK1 JAK2 STAT3"
    browser.save_screenshot(str(ARTIFACTS / "enrichment.png"))

    # A named query in the SPARQL editor, run against /sparql.
    browser.get(server + "query")
    _wait(browser, lambda d: d.execute_script("return !!window.pfocrYasgui"))
    Select(browser.find_element(By.ID, "named")).select_by_value("top-genes")
    browser.find_element(By.ID, "load-named").click()
    browser.execute_script("window.pfocrYasgui.getTab().query()")
    cells = _wait(
        browser,
        lambda d: d.find_elements(By.XPATH, "//*[@id='yasgui']//td[contains(., 'MAPK3')]"),
    )
    assert cells
    browser.save_screenshot(str(ARTIFACTS / "query.png"))
    assert _console_errors(browser) == []


def test_pages_report_no_console_errors(browser, server):
    for path in ("", "search?q=glucose&kind=chemical", "gene/6774", "enrich"):
        browser.get(server + path)
        assert _console_errors(browser) == [], path
