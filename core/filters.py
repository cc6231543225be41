"""Back-office list filters with labels of their own.

django-filter names a filter on a related field by joining the verbose names along the path
("programme" + "kind" → «Программа вид», «Бағдарлама түрі» only by luck): words glued in
English order, with no case endings. A filter across a relation gets an explicit, translated
label instead."""

from django.db.models import Model
from django.utils.text import capfirst
from wagtail.admin.filters import WagtailFilterSet


def labelled_filterset(
    model: type[Model], fields: list[str], labels: dict[str, str]
) -> type[WagtailFilterSet]:
    """A filter set for `model` on `fields` (as a viewset's `list_filter` would build it),
    with the filters named in `labels` labelled so (lazy translations stay lazy)."""
    unknown = set(labels) - set(fields)
    if unknown:
        raise ValueError(f"labels for filters that are not in fields: {sorted(unknown)}")
    meta = type("Meta", (), {"model": model, "fields": fields})
    filterset = type(f"{model.__name__}FilterSet", (WagtailFilterSet,), {"Meta": meta})
    for name, label in labels.items():
        # Each instance deep-copies base_filters, so the label carries into every list view;
        # capitalised as django-filter capitalises the labels it makes (capfirst stays lazy).
        filterset.base_filters[name].label = capfirst(label)
    return filterset
