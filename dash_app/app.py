"""Create the Dash app. Until the full dashboard lands this shows a registry summary."""

from dash import Dash, html

from dash_app.django_setup import django_setup


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def summary_layout():
    from django.conf import settings

    from dash_app.data import registry_summary

    summary = registry_summary(settings.DEFAULT_TOWN_CODE)
    if summary is None:
        return html.Main([html.H1("邹区镇农村生态环境调查"), html.P("尚未导入名录数据。")])
    rows = [
        ("行政村/社区", summary.admin_villages),
        ("自然村", summary.natural_villages),
        (
            "已治理自然村（不含规划搬迁）",
            f"{summary.treated_villages} / {summary.counted_villages}",
        ),
        ("自然村生活污水治理覆盖率", _percent(summary.coverage)),
        ("在用处理设施", summary.facilities_in_service),
        ("最近巡查正常运行率", _percent(summary.operation)),
        ("黑臭水体（含排查）", summary.water_bodies),
    ]
    return html.Main(
        [
            html.H1(f"{summary.town}农村生态环境调查：名录概况"),
            html.Table(
                [html.Tr([html.Th(label), html.Td(str(value))]) for label, value in rows],
                id="registry-summary",
            ),
        ]
    )


def create_app() -> Dash:
    django_setup()
    from django.conf import settings

    app = Dash(
        __name__,
        title="邹区镇调查仪表盘",
        update_title=None,
        url_base_pathname=settings.DASH_URL_BASE_PATHNAME,
    )
    # A function, so every page load reads current data and nothing loads at import.
    app.layout = summary_layout
    return app


def server():
    """WSGI callable for gunicorn: `gunicorn 'dash_app.app:server()'`."""
    return create_app().server
