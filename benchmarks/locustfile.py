"""What a crowd of civil servants does on the public site, for `benchmarks/load_test.py`.

Each simulated person has a login of their own (a server-side session made by the runner),
browses the catalog and programme pages, opens My learning, checks a certificate, and now and
then enrols in a session and withdraws again. Requests carry `X-Forwarded-Proto: https` as the
TLS-terminating proxy would, with Origin/Referer for Django's HTTPS CSRF checks.

The runner writes the accounts, sessions and verification codes into the JSON file named by
LOADTEST_DATA; this file only reads it.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
from pathlib import Path

from locust import HttpUser, between, task

DATA = json.loads(Path(os.environ["LOADTEST_DATA"]).read_text(encoding="utf-8"))
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WITHDRAW_FORM = re.compile(r'action="(/[a-z]{2}/my/enrolments/\d+/withdraw/)"')
_accounts = itertools.cycle(DATA["accounts"])
_accounts_lock = threading.Lock()


class CivilServant(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        with _accounts_lock:
            account = next(_accounts)
        self.language = random.choice(["kk", "ru"])
        self.origin = self.host.rstrip("/")
        # Cookies set by hand are sent over plain http, even where the server marks its own
        # cookies Secure (it believes it is behind TLS because of X-Forwarded-Proto).
        self.client.cookies.set(DATA["session_cookie"], account["session_key"])
        self.rng = random.Random(account["session_key"])
        # A client address of its own, as the balancer would append it (a header only: no
        # traffic goes anywhere but 127.0.0.1).
        self.address = (
            f"10.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        )

    def _headers(self, referer: str | None = None) -> dict[str, str]:
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Accept-Language": self.language,
        }
        if referer is not None:
            headers["Origin"] = self.origin.replace("http://", "https://")
            headers["Referer"] = self.origin.replace("http://", "https://") + referer
        return headers

    def _get(self, path: str, name: str):
        response = self.client.get(path, headers=self._headers(), name=name)
        # The CSRF cookie comes marked Secure; keep a plain copy so http can send it back.
        value = response.cookies.get(DATA["csrf_cookie"])
        if value:
            self.client.cookies.set(DATA["csrf_cookie"], value)
        return response

    @task(5)
    def catalog(self) -> None:
        query = self.rng.choice(["", "?kind=upgrade", "?q=этика", "?format=online", "?page=2"])
        self._get(f"/{self.language}/programmes/{query}", "catalog")

    @task(4)
    def programme(self) -> None:
        code = self.rng.choice(DATA["programme_codes"])
        self._get(f"/{self.language}/programmes/{code}/", "programme page")

    @task(3)
    def my_learning(self) -> None:
        self._get(f"/{self.language}/my/", "my learning")

    @task(2)
    def verify(self) -> None:
        code = self.rng.choice(DATA["verify_codes"])
        self._get(f"/{self.language}/verify/{code}/", "verification")

    @task(1)
    def enrol_and_withdraw(self) -> None:
        session = self.rng.choice(DATA["sessions"])
        page = f"/{self.language}/programmes/{session['programme_code']}/"
        response = self._get(page, "programme page")
        token = CSRF_INPUT.search(response.text or "")
        if not token:
            return
        self.client.post(
            f"/{self.language}/sessions/{session['id']}/enrol/",
            data={"csrfmiddlewaretoken": token.group(1)},
            headers=self._headers(referer=page),
            name="enrol",
        )
        mine = self._get(f"/{self.language}/my/", "my learning")
        form = WITHDRAW_FORM.search(mine.text or "")
        token = CSRF_INPUT.search(mine.text or "")
        if form and token:
            self.client.post(
                form.group(1),
                data={"csrfmiddlewaretoken": token.group(1)},
                headers=self._headers(referer=f"/{self.language}/my/"),
                name="withdraw",
            )
