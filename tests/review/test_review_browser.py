"""End to end in Chromium: an official sends a submission back from the review screens,
the worker sees it on 我的待整改, the official then approves it with the bulk action."""

from pathlib import Path

import pytest

from review.models import Review

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "s3cret-Pass!"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test
    # itself stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _login(browser, live_server, username: str, next_path: str):
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/api-auth/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url(f"**{next_path}")
    return page


def test_an_official_reviews_a_submission_end_to_end(submit, users, live_server, browser):
    submission = submit()

    official = _login(browser, live_server, "official", "/review/")
    official.click(f"a[href='/review/submissions/{submission.pk}/']")
    assert official.locator("#answers").inner_text().count("处理设施") == 1
    assert "纬度" in official.locator("#gps").inner_text()
    official.fill("#review-form textarea[name=comment]", "出水口照片模糊，请重拍")
    official.click("#review-form button[value=has_issues]")
    official.wait_for_url(f"**/review/submissions/{submission.pk}/")
    assert official.locator("#state").inner_text() == "有问题"

    worker = _login(browser, live_server, "worker", "/review/mine/")
    assert "出水口照片模糊，请重拍" in worker.locator("#rework").inner_text()

    official.goto(f"{live_server.url}/review/?state=has_issues")
    official.on("dialog", lambda dialog: dialog.accept())
    official.click("#bulk-approve button[type=submit]")
    official.wait_for_load_state()
    assert "已核准 1 条提交" in official.content()
    assert Review.objects.get(submission=submission).state == "approved"

    worker.reload()
    assert "没有待整改的提交" in worker.locator("#rework").inner_text()
