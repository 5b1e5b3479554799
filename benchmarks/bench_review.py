"""Review at the size of the demo: the queue's pages and bulk approval of a filtered list.

    .venv/bin/python benchmarks/bench_review.py [--submissions 3000] [--repeats 5] [--json F]

Runs on a throwaway test database: PostgreSQL when DATABASE_URL names one (``test_`` +
its name is created and dropped), else SQLite in memory. Submissions are inserted directly
(the OpenRosa path is bench_submissions.py); each has its review row as on arrival.

Measured, medians of ``--repeats`` runs side by side:
- the queue page (GET /review/, 100 rows a page) on its first and on its last page;
- bulk approval of every submission of the filter (review.services.submissions_approve,
  what 「核准筛选结果全部 N 条」 does), per submission, against one-at-a-time approval
  (review.services.submission_review) of the same number of submissions.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "server"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _median_seconds(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json")
    args, _ = parser.parse_known_args(argv)  # make bench passes every script the same options

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = Path(os.environ.get("TMPDIR", "/tmp")) / "bench_review_media"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        result = _run(args, Client)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    result["database"] = connection.vendor
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def _run(args, client_class) -> dict:
    from accounts.models import Role, User
    from collect.models import Form, Submission
    from collect.services import form_publish
    from forms.build import FORMS_DIR
    from registry.places import places_load
    from review.models import Review, ReviewComment
    from review.services import submission_review, submissions_approve
    from review.views import QUEUE_PAGE_SIZE

    town = places_load()
    village = town.admin_villages.order_by("code").first()
    official = User.objects.create_user(
        "official", password="x", role=Role.TOWN_OFFICIAL, town=town
    )
    worker = User.objects.create_user("worker", password="x", role=Role.VILLAGE_WORKER, town=town)
    xlsform = (FORMS_DIR / "sewage_facility_inspection.xlsx").read_bytes()
    form_publish(xlsform_name="sewage_facility_inspection.xlsx", xlsform=xlsform)
    form = Form.objects.get(form_id="sewage_facility_inspection")
    n = args.submissions
    Submission.objects.bulk_create(
        [
            Submission(
                form=form,
                form_version=form.current_version,
                instance_id=f"uuid:bench-{i}",
                xml="<data/>",
                xml_md5="0" * 32,
                submitted_by=worker,
                admin_village=village,
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    Review.objects.bulk_create(
        [Review(submission_id=pk) for pk in Submission.objects.values_list("pk", flat=True)],
        batch_size=1000,
    )

    client = client_class()
    client.force_login(official)
    last_page = (n + QUEUE_PAGE_SIZE - 1) // QUEUE_PAGE_SIZE

    def page(number: int):
        response = client.get("/review/", {"state": "", "page": number})
        assert response.status_code == 200

    page(1)  # warm-up: templates, connections
    first = _median_seconds(lambda: page(1), args.repeats)
    last = _median_seconds(lambda: page(last_page), args.repeats)

    def reset() -> None:
        Review.objects.update(state="received")
        ReviewComment.objects.all().delete()

    bulk_times = []
    single_times = []
    single_count = min(n, 300)
    for _ in range(args.repeats):
        reset()
        started = time.perf_counter()
        approved = submissions_approve(submissions=Submission.objects.all(), user=official)
        bulk_times.append((time.perf_counter() - started) / approved)
        assert approved == n
        reset()
        chosen = list(Submission.objects.order_by("pk")[:single_count])
        started = time.perf_counter()
        for submission in chosen:
            submission_review(submission=submission, user=official, state="approved")
        single_times.append((time.perf_counter() - started) / single_count)
    bulk = statistics.median(bulk_times)
    single = statistics.median(single_times)
    return {
        "submissions": n,
        "repeats": args.repeats,
        "queue_first_page_ms": round(first * 1000, 1),
        "queue_last_page_ms": round(last * 1000, 1),
        "queue_last_over_first": round(last / first, 2),
        "bulk_approve_ms_per_submission": round(bulk * 1000, 2),
        "bulk_approve_total_s": round(bulk * n, 2),
        "single_approve_ms_per_submission": round(single * 1000, 2),
        "bulk_over_single": round(bulk / single, 2),
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
