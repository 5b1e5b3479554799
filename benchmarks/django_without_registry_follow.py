"""The Django application of bench_submissions with the registry's follow-up of accepted
submissions switched off (``--registry-follow off``), everything else unchanged.

After a submission commits, collect sends ``submission_accepted`` and the registry
recomputes the facility, village or water body it is about from all their counted
submissions (registry.services.registry_follow_submission, issue 5), in the same request.
``publish_indicators --watch`` does the same for every submission updated since its last
pass, so with it running (docker-compose, ``make demo``) the in-request follow-up only makes
the registry current a few seconds earlier. This module measures the OpenRosa path
without it, to tell the two costs apart; the benchmark reports which one it measured.
"""

from collect.signals import submission_accepted
from config.wsgi import application

if not submission_accepted.disconnect(dispatch_uid="registry_follow"):
    raise RuntimeError("the registry's submission_accepted receiver was not found")

__all__ = ["application"]
