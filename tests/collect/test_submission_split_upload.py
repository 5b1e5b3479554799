"""Split uploads (Collect's *isIncomplete*) merge into one submission; what is missing shows."""

from django.urls import reverse

from collect.models import Submission
from tests.collect.support import post_submission, sample, sample_files, submission_files


def test_it_merges_the_parts_of_a_split_upload_into_one_submission(inspection, collect_client):
    instance = sample()
    files = sample_files(instance)
    names = list(files)
    client = collect_client("worker")

    # All but the last request carry the form field *isIncomplete*=yes, as Collect sends it.
    parts = [names[:2], names[2:3], names[3:]]
    responses = [
        client.post(
            "/submission",
            data={
                **submission_files(instance.xml, {n: files[n] for n in part}),
                **({"*isIncomplete*": "yes"} if index < len(parts) - 1 else {}),
            },
        )
        for index, part in enumerate(parts)
    ]

    assert [r.status_code for r in responses] == [201, 201, 201]
    submission = Submission.objects.get()
    assert sorted(a.name for a in submission.attachments.all()) == sorted(names)
    assert submission.attachments_complete
    assert submission.attachments_missing == []


def test_it_shows_a_submission_whose_later_parts_never_arrived(
    inspection, collect_client, users, client
):
    instance = sample()
    files = sample_files(instance)
    first_name = instance.attachments[0]
    post_submission(collect_client("worker"), instance.xml, {first_name: files[first_name]})

    client.force_login(users["official"])
    listing = client.get(reverse("submission-list"), {"complete": "false"}).json()

    assert listing["count"] == 1
    row = listing["results"][0]
    assert row["instance_id"] == instance.instance_id
    assert row["attachments_complete"] is False
    assert row["attachments_expected"] == instance.attachments
    assert sorted(row["attachments_missing"]) == sorted(instance.attachments[1:])
    assert [a["name"] for a in row["attachments"]] == [first_name]
