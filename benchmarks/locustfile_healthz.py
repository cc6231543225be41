"""The raw baseline of `benchmarks/load_test.py`: the same users, the same server, /healthz."""

from locust import HttpUser, between, task


class Probe(HttpUser):
    wait_time = between(0.5, 2.0)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz", headers={"X-Forwarded-Proto": "https"})
