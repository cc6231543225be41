from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One entry per interface language: its code, its own name and the URL of this page in it."""
    request = context.get("request")
    page = context.get("page")
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    urls: dict[str, str] = {}
    if page is not None and hasattr(page, "get_translations"):
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            urls[translation.locale.language_code] = translation.url
    names = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
    links = []
    for code, _name in settings.LANGUAGES:
        url = urls.get(code)
        if url is None and request is not None:
            url = translate_url(request.get_full_path(), code)
        links.append(
            {
                "code": code,
                "name": names.get(code, code),
                "url": url or f"/{code}/",
                "current": code == current,
            }
        )
    return links


LOW_VISION_COOKIE = "low_vision"


@register.simple_tag(takes_context=True)
def low_vision(context) -> bool:
    """The "for the visually impaired" mode is on (its cookie, set by cms.views.low_vision);
    read on the server, so the page comes larger and in high contrast without any script."""
    request = context.get("request")
    return request is not None and request.COOKIES.get(LOW_VISION_COOKIE) == "1"


@register.simple_tag(takes_context=True)
def site_menu(context) -> list[dict]:
    """The header's links to the page tree in the current language: the news index and the
    pages the editors put in menus ("Show in menus") under that language's home page."""
    from wagtail.models import Locale

    from cms.models import HomePage, NewsIndexPage

    request = context.get("request")
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return []
    home = HomePage.objects.filter(locale=locale).live().first()
    if home is None:
        return []
    children = home.get_children().live()
    news_type = NewsIndexPage._meta.label_lower
    links = []
    for page in children.select_related("content_type").order_by("path"):
        is_news = f"{page.content_type.app_label}.{page.content_type.model}" == news_type
        if not (page.show_in_menus or is_news):
            continue
        url = page.get_url(request)
        links.append(
            {
                "title": page.title,
                "url": url,
                "current": request is not None and url and request.path.startswith(url),
            }
        )
    return links
