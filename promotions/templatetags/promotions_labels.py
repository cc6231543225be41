from django import template

from promotions.criteria import criterion_label

register = template.Library()

register.filter("criterion_label", criterion_label)
