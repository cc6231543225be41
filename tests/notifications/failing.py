"""A mail backend whose server is down (tests of the e-mail task's retry)."""

from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionError("mail server unreachable")
