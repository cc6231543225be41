def only_our_api(endpoints, **kwargs):
    """Keep /api/v1/ only: Wagtail's own admin API is not part of our contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
