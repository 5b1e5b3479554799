"""The dashboard in headless Chromium: login, every page at desktop and phone size, the
overview against the ETL's own values, filters in the URL, alerts linking to records and
the workbook download."""

import io
import re
import subprocess
import sys

import httpx
import openpyxl
import pytest
from conftest import PASSWORD, SIZES, ConsoleErrors, Dashboard, login
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = ["overview", "villages", "facilities", "water", "farm", "alerts"]
CODES = [
    "SEWAGE_COVERAGE",
    "FACILITY_OPERATION",
    "BLACK_WATER_ELIMINATION",
    "FILM_RECOVERY",
    "STRAW_UTILIZATION",
]
TOWN = "320404116"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def csrf_client(dashboard: Dashboard) -> tuple[httpx.Client, str]:
    """An HTTP client holding a dashboard session, and that session's CSRF token (from the
    login form, as a browser gets it)."""
    client = httpx.Client(base_url=dashboard.url)
    form = client.get("auth/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    return client, token


def wait_for_location(page, part: str) -> None:
    """Dash navigates with pushState, so there is no load event to wait for."""
    page.wait_for_function("part => location.href.includes(part)", arg=part)


def test_login_refuses_wrong_password_other_roles_and_anonymous_callbacks(dashboard):
    client, token = csrf_client(dashboard)
    wrong = client.post(
        "auth/login", data={"username": "official", "password": "nope", "csrf_token": token}
    )
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.text
    for username in ("worker", "contractor"):
        refused = client.post(
            "auth/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
        )
        assert refused.status_code == 403 and "仅镇级管理人员和区级管理员" in refused.text
    anonymous = httpx.get(f"{dashboard.url}_dash-layout")
    assert anonymous.status_code == 401
    page = httpx.get(f"{dashboard.url}facilities?year=2025")
    assert page.status_code == 302 and "auth/login?next=" in page.headers["location"]
    assert httpx.get(f"{dashboard.url}download/workbook?year=2025").status_code == 401
    client.close()


def test_a_post_without_the_csrf_token_is_refused(dashboard):
    """The login form, logout and Dash's callbacks need the session's CSRF token."""
    client, token = csrf_client(dashboard)
    credentials = {"username": "official", "password": PASSWORD}
    for form in (credentials, {**credentials, "csrf_token": "forged"}):
        refused = client.post("auth/login", data=form)
        assert refused.status_code == 400 and "安全校验未通过" in refused.text
        assert 'name="csrf_token"' in refused.text  # a fresh form to try again
    # A cross-site form has no session, hence no token, even with the right password.
    assert httpx.post(f"{dashboard.url}auth/login", data=credentials).status_code == 400
    logged_in = client.post("auth/login", data={**credentials, "csrf_token": token})
    assert logged_in.status_code == 302
    callback = {"output": "x.children", "outputs": [], "inputs": [], "changedPropIds": []}
    refused = client.post("_dash-update-component", json=callback)
    assert refused.status_code == 400 and refused.json()["error"] == "csrf"
    assert client.post("auth/logout").status_code == 400
    token = client.cookies["_csrf_token"]  # the logged-in session's token, as Dash reads it
    assert client.post("auth/logout", headers={"X-CSRFToken": token}).status_code == 302
    client.close()


def test_district_admin_logs_in_and_out(browser, dashboard):
    context = browser.new_context()
    page = context.new_page()
    errors = ConsoleErrors()
    errors.attach(page)
    login(page, dashboard, "district")
    assert "区级管理员" in page.inner_text(".who")
    page.click("#logout")
    page.wait_for_selector("#login-form")
    page.goto(f"{dashboard.url}overview")
    assert "auth/login" in page.url
    context.close()
    assert errors == []


def test_every_page_opens_at_desktop_and_phone_size(browser, dashboard, artifacts):
    for size, (width, height) in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(20_000)
        page = context.new_page()
        errors = ConsoleErrors()
        errors.attach(page)
        login(page, dashboard)
        for name in PAGES:
            page.goto(f"{dashboard.url}{name}?year=2025")
            page.wait_for_selector(".page-head")
            assert page.locator(".nav-link.active").inner_text() != ""
            page.wait_for_load_state("networkidle")
            page.screenshot(path=artifacts / f"{name}-{size}.png", full_page=True)
            if (name, size) == ("overview", "desktop"):  # the README's docs/img/overview.png
                page.screenshot(path=artifacts / "overview-desktop-screen.png")
        context.close()
        assert errors == [], f"{size}: {errors}"


def test_each_overview_card_equals_the_indicator_api(page, dashboard, expected):
    page.goto(f"{dashboard.url}overview?year=2025")
    page.wait_for_selector(".card[data-code=STRAW_UTILIZATION]")
    town = expected["2025"][TOWN]
    for code in CODES:
        card = page.locator(f".card[data-code={code}]")
        assert card.locator(".card-value").inner_text() == percent(town[code]["value"]), code
        met = card.locator(".card-met").inner_text()
        word = {True: "✔ 达标", False: "✘ 未达标", None: "— 无数据"}[town[code]["met"]]
        assert met == word, code
        assert f"{town[code]['target']:g}%" in card.locator(".card-target").inner_text()
        records = card.locator("a.card-records").get_attribute("href")
        assert records == (f"/api/v1/indicators/{code}/records/?level=town&area={TOWN}&period=2025")


def test_the_2020_baseline_is_the_plans(page, dashboard):
    """The plan's 2020 baseline: 70.2 % coverage, 92 % operation."""
    page.goto(f"{dashboard.url}overview?year=2020")
    page.wait_for_selector(".card[data-code=FACILITY_OPERATION]")
    assert page.locator(".card[data-code=SEWAGE_COVERAGE] .card-value").inner_text() == "70.2%"
    assert page.locator(".card[data-code=FACILITY_OPERATION] .card-value").inner_text() == "92.0%"


def test_village_filter_changes_the_cards_charts_and_url(page, dashboard, expected):
    page.goto(f"{dashboard.url}overview?year=2025")
    trend = page.locator(".trend .js-plotly-plot").first
    trend.wait_for()
    town_y = trend.evaluate("el => el.data[0].y")
    town_value = expected["2025"][TOWN]["SEWAGE_COVERAGE"]["value"]
    village = next(
        code
        for code, values in expected["2025"].items()
        if code != TOWN
        and values["SEWAGE_COVERAGE"]["value"] is not None
        and abs(values["SEWAGE_COVERAGE"]["value"] - town_value) > 1
    )
    name = expected["names"][village]
    page.locator("#filter-village .Select-control").click()
    page.locator("#filter-village input[role=combobox]").fill(name)
    page.locator("#filter-village .VirtualizedSelectOption", has_text=name).first.click()
    wait_for_location(page, f"village={village}")
    value = percent(expected["2025"][village]["SEWAGE_COVERAGE"]["value"])
    card = page.locator(".card[data-code=SEWAGE_COVERAGE] .card-value")
    page.wait_for_function(
        "([sel, v]) => document.querySelector(sel)?.innerText === v",
        arg=[".card[data-code=SEWAGE_COVERAGE] .card-value", value],
    )
    assert card.inner_text() == value
    village_y = page.locator(".trend .js-plotly-plot").first.evaluate("el => el.data[0].y")
    assert village_y != town_y
    # The URL is shareable: opening it again restores the filter.
    shared = page.context.new_page()
    shared.goto(page.url)
    shared.wait_for_selector(".card[data-code=SEWAGE_COVERAGE]")
    assert shared.locator(".card[data-code=SEWAGE_COVERAGE] .card-value").inner_text() == value
    shared.close()


def test_an_alert_links_to_its_facility(page, dashboard):
    page.goto(f"{dashboard.url}alerts?year=2025")
    item = page.locator(".alert-item[data-kind=facility_abnormal]").first
    item.wait_for()
    code = item.get_attribute("data-code")
    item.locator("a").click()
    wait_for_location(page, "/facilities?")
    wait_for_location(page, f"facility={code}")
    detail = page.locator(f".facility-card[data-facility='{code}']")
    # Retried until the card's final render (it may be redrawn once the map has loaded).
    expect(detail.locator("h3")).to_contain_text(code)
    expect(detail).to_contain_text("异常")


def test_the_workbook_download_is_a_valid_workbook(page, dashboard, expected):
    page.goto(f"{dashboard.url}overview?year=2025")
    page.wait_for_selector(".card")
    with page.expect_download() as download_info:
        page.click("#download-workbook")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    assert "汇总" in workbook.sheetnames
    sheet = workbook["汇总"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[:3] == ["类别", "指标", "单位"])
    by_code = {row[9].split()[0]: row for row in rows[header + 1 :] if row[9]}
    coverage = by_code["SEWAGE_COVERAGE"][4]
    assert coverage == pytest.approx(expected["2025"][TOWN]["SEWAGE_COVERAGE"]["value"], abs=0.05)


def test_selecting_a_village_drills_down_to_its_facilities_and_water_bodies(page, dashboard):
    page.goto(f"{dashboard.url}villages?year=2025")
    table = page.locator("#village-table")
    table.locator("td[data-dash-column=name]").first.wait_for()
    # Filter the table to one administrative village by name, then select it.
    page.locator("#village-table th[data-dash-column=name] input[type=text]").fill("杨庄村")
    page.keyboard.press("Enter")
    first = table.locator("td[data-dash-column=name]", has_text="杨庄村").first
    first.click()
    detail = page.locator("#village-detail")
    detail.locator("a[href*='facility=ZQ-WS-']").first.wait_for()
    assert detail.locator("h3").inner_text().startswith("杨庄村")
    link = detail.locator("a[href*='facility=ZQ-WS-']").first
    code = link.inner_text().split()[0]
    link.click()
    wait_for_location(page, f"facility={code}")
    page.locator(f".facility-card[data-facility='{code}']").wait_for()


def test_english_is_available_and_remembered(browser, dashboard):
    context = browser.new_context()
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors = ConsoleErrors()
    errors.attach(page)
    login(page, dashboard)
    page.goto(f"{dashboard.url}facilities?year=2025")
    page.wait_for_selector(".page-head")
    page.click("#language")
    page.wait_for_selector(".nav-link.active >> text=Facilities")
    wait_for_location(page, "/facilities?year=2025")
    page.wait_for_selector("#facility-map .gtitle >> text=Facilities by latest status")
    page.goto(f"{dashboard.url}overview?year=2020")
    page.wait_for_selector(".card-met")
    assert page.locator(".card[data-code=SEWAGE_COVERAGE] .card-met").inner_text() == "✘ Not met"
    page.click("#language")
    page.wait_for_selector(".nav-link.active >> text=总览")
    context.close()
    assert errors == []


def test_an_overdue_water_body_alert_opens_its_stages_and_measurements(page, dashboard):
    page.goto(f"{dashboard.url}alerts?year=2025")
    item = page.locator(".alert-item[data-kind=water_overdue]").first
    item.wait_for()
    code = item.get_attribute("data-code")
    item.locator("a").click()
    wait_for_location(page, f"water={code}")
    detail = page.locator(f"[data-water='{code}']")
    detail.wait_for()
    assert "整治后监测" in detail.locator("dl").inner_text()
    detail.locator(".js-plotly-plot").wait_for()
    row = page.locator("#water-table td[data-dash-column=water_body_code]", has_text=code)
    assert row.count() == 1


SECOND_TOWN_SCRIPT = """
from etl import extract
extract.django_setup()
from registry.models import AdministrativeVillage, Town
town, _ = Town.objects.get_or_create(code="320404117", defaults={"name": "演示镇"})
AdministrativeVillage.objects.get_or_create(
    code="320404117201", defaults={"town": town, "name": "演示镇演示村", "kind": "village"}
)
"""


def test_a_district_administrator_picks_the_town_an_official_cannot(browser, dashboard):
    """A second town (no indicators published for it): the district administrator's picker
    offers it, keeps it in the URL and the pages say that nothing is published yet."""
    subprocess.run(
        [sys.executable, "-c", SECOND_TOWN_SCRIPT], env=dashboard.env, check=True, timeout=60
    )
    context = browser.new_context()
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors = ConsoleErrors()
    errors.attach(page)
    login(page, dashboard, "district")
    page.goto(f"{dashboard.url}overview?year=2025")
    page.wait_for_selector(".card[data-code=SEWAGE_COVERAGE]")
    page.locator("#filter-town .Select-control").click()
    page.locator("#filter-town .VirtualizedSelectOption", has_text="演示镇").first.click()
    wait_for_location(page, "town=320404117")
    page.wait_for_selector(".page-scope >> text=演示镇")
    assert "指标尚未发布" in page.locator(".page-head .notice").inner_text()
    page.locator("#filter-village .Select-control").click()
    options = page.locator("#filter-village .VirtualizedSelectOption").all_inner_texts()
    assert "演示镇演示村" in options and not any("杨庄村" in o for o in options)
    page.keyboard.press("Escape")
    page.click(".nav-link >> text=设施")
    wait_for_location(page, "/facilities?")
    assert "town=320404117" in page.url  # the picked town stays in the links
    context.close()
    assert errors == []
    # The town official asking for that town by URL gets their own.
    official = browser.new_context()
    tab = official.new_page()
    login(tab, dashboard)
    tab.goto(f"{dashboard.url}overview?year=2025&town=320404117")
    tab.wait_for_selector(".page-scope >> text=邹区镇")
    assert tab.locator("#filter-town .Select.is-disabled").count() == 1
    official.close()
