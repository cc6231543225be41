"""Back-office list filters with labels of their own.

django-filter names a filter on a related field by joining the verbose names along the path
("programme" + "kind" → «Программа вид», «Бағдарлама түрі» only by luck): words glued in
English order, with no case endings. A filter across a relation gets an explicit, translated
label instead."""

from django.db.models import Model
from django.utils.text import capfirst
from wagtail.admin.filters import WagtailFilterSet


def labelled_filterset(
    model: type[Model], fields: list[str], labels: dict[str, str], attrs: dict | None = None
) -> type[WagtailFilterSet]:
    """A filter set for `model` on `fields` (as a viewset's `list_filter` would build it),
    with the filters named in `labels` labelled so (lazy translations stay lazy). `attrs`: more
    declared filters and their methods. Not to be subclassed: a subclass's metaclass builds
    the filters anew and the labels are lost."""
    unknown = set(labels) - set(fields)
    if unknown:
        raise ValueError(f"labels for filters that are not in fields: {sorted(unknown)}")
    meta = type("Meta", (), {"model": model, "fields": fields})
    filterset = type(
        f"{model.__name__}FilterSet", (WagtailFilterSet,), {"Meta": meta, **(attrs or {})}
    )
    for name, label in labels.items():
        # Each instance deep-copies base_filters, so the label carries into every list view;
        # capitalised as django-filter capitalises the labels it makes (capfirst stays lazy).
        filterset.base_filters[name].label = capfirst(label)
    return filterset
