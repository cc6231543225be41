"""A small HTTP client for the smoke test: what a browser behind the TLS proxy sends.

Plain http to 127.0.0.1, every request carrying `X-Forwarded-Proto: https` as the proxy sets
it, so production's secure cookies, HSTS and https CSRF checks apply. Cookies are kept and sent
by hand (a cookie jar would never send a Secure cookie over http). No redirect is followed
unless asked; any 5xx fails the test at once unless the caller expects it.
"""

from __future__ import annotations

import http.client
import re
import secrets
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie

HOST = "127.0.0.1"


@dataclass
class Response:
    method: str
    path: str
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} → {self.status}>"


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def values(self, **overrides: str) -> list[tuple[str, str]]:
        """The form's own values (as a browser would send them), with overrides replacing
        same-named fields or added."""
        result = [(name, value) for name, value in self.fields if name not in overrides]
        result.extend(overrides.items())
        return result

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", "application/x-www-form-urlencoded"),
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "button", "reset"):
                form.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind != "file":
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self._multiple = "multiple" in a
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                form.fields.append((self._select, value))
                self._select_chosen = True

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea and self._form:
            name, parts = self._textarea
            text = "".join(parts)
            self._form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select and self._form:
            if not self._select_chosen and not self._multiple and self._select_first is not None:
                self._form.fields.append((self._select, self._select_first))
            self._select = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def multipart(fields: list[tuple[str, str]], files: dict[str, tuple[str, bytes, str]]):
    boundary = "smoke" + secrets.token_hex(12)
    lines: list[bytes] = []
    for name, value in fields:
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"'.encode(),
            b"",
            value.encode("utf-8"),
        ]
    for name, (filename, content, content_type) in files.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'.encode(),
            f"Content-Type: {content_type}".encode(),
            b"",
            content,
        ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


class Client:
    """One visitor: its own cookies, every request through the 'TLS proxy'."""

    def __init__(self, port: int, *, proxy_https: bool = True) -> None:
        self.port = port
        self.proxy_https = proxy_https
        self.cookies: dict[str, str] = {}
        self.history: list[Response] = []

    @property
    def origin(self) -> str:
        return f"{'https' if self.proxy_https else 'http'}://{HOST}:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        data: list[tuple[str, str]] | dict | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        headers: dict[str, str] | None = None,
        expect_5xx: bool = False,
        timeout: float = 60,
    ) -> Response:
        sent = {"Host": f"{HOST}:{self.port}", "User-Agent": "biliktilik-smoke/1"}
        if self.proxy_https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            sent["Origin"] = self.origin
            sent["Referer"] = self.origin + path
            items = list(data.items()) if isinstance(data, dict) else list(data or [])
            if files:
                body, sent["Content-Type"] = multipart(items, files)
            else:
                body = urllib.parse.urlencode(items).encode()
                sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=sent)
            raw = conn.getresponse()
            response = Response(method, path, raw.status, raw.msg, raw.read())
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        self.history.append(response)
        if response.status >= 500 and not expect_5xx:
            raise AssertionError(f"{response!r}: {response.text[:2000]}")
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data=None, **kwargs) -> Response:
        return self.request("POST", path, data=data, **kwargs)

    def ok(self, path: str, **kwargs) -> Response:
        """GET that must answer 200."""
        response = self.get(path, **kwargs)
        assert response.status == 200, f"{response!r} (Location: {response.location})"
        return response

    def follow(self, response: Response, limit: int = 5) -> Response:
        """Follow redirects within this site, as a browser would."""
        for _ in range(limit):
            if response.status not in (301, 302, 303, 307, 308):
                return response
            target = urllib.parse.urlsplit(response.location)
            assert target.netloc in ("", f"{HOST}:{self.port}"), response.location
            path = target.path + (f"?{target.query}" if target.query else "")
            response = self.get(path)
        return response

    def form(self, path: str, *, action: str | None = None, contains: str | None = None) -> Form:
        """The first form on the page at `path` (whose action is `action`, or which has a
        field named `contains`)."""
        page = self.ok(path)
        for form in forms_in(page.text):
            if action is not None and form.action != action:
                continue
            if contains is not None and form.get(contains) is None:
                continue
            return form
        raise AssertionError(f"no such form on {path}: action={action} field={contains}")

    def submit(self, path: str, form: Form, data, **kwargs) -> Response:
        target = form.action or path
        return self.post(target, data, **kwargs)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)
