"""Signals of collect, for apps that react to what the field sends.

``submission_accepted`` is sent after the transaction that stored a new submission or an
edit has committed (never for a duplicate or for extra attachments of a known one), with
``submission``. The registry follows it (registry.services.registry_follow_submission).
"""

from django.dispatch import Signal

submission_accepted = Signal()
