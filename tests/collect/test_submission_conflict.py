"""The same instanceID with different XML is refused with 409; the first stays as it was."""

from collect.models import Submission
from tests.collect.support import openrosa_message, post_submission, sample, sample_files


def test_it_refuses_different_xml_under_a_known_instance_id(inspection, collect_client):
    first = sample(seed=0)
    client = collect_client("worker")
    post_submission(client, first.xml, sample_files(first))
    other = sample(seed=1, instance_id=first.instance_id)
    assert other.xml != first.xml

    response = post_submission(client, other.xml, sample_files(other))

    assert response.status_code == 409
    assert "内容不同" in openrosa_message(response)
    submission = Submission.objects.get()
    assert submission.xml.encode() == first.xml
