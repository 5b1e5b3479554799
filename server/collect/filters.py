"""Query filters of the submissions API."""

import django_filters
from django.db.models import Q

from collect.models import Submission


class SubmissionFilter(django_filters.FilterSet):
    form = django_filters.CharFilter(field_name="form__form_id")
    form_version = django_filters.CharFilter(field_name="form_version__version")
    village = django_filters.CharFilter(method="filter_village", label="行政村或自然村代码")
    admin_village = django_filters.CharFilter(field_name="admin_village__code")
    natural_village = django_filters.CharFilter(field_name="natural_village__code")
    facility = django_filters.CharFilter(field_name="facility__code")
    water_body = django_filters.CharFilter(field_name="water_body__code")
    submitter = django_filters.CharFilter(field_name="submitted_by__username")
    instance_id = django_filters.CharFilter(field_name="instance_id")
    received_from = django_filters.DateFilter(field_name="received_at__date", lookup_expr="gte")
    received_to = django_filters.DateFilter(field_name="received_at__date", lookup_expr="lte")
    current = django_filters.ChoiceFilter(
        method="filter_current",
        choices=[("true", "仅当前版本"), ("false", "仅历史版本"), ("all", "全部")],
        label="版本（默认仅当前版本）",
    )
    complete = django_filters.BooleanFilter(field_name="attachments_complete")

    class Meta:
        model = Submission
        fields = []

    def filter_village(self, queryset, name, value):
        return queryset.filter(Q(admin_village__code=value) | Q(natural_village__code=value))

    def filter_current(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(is_current=value == "true")

    @property
    def qs(self):
        queryset = super().qs
        # Superseded versions (edited since) no longer count unless asked for.
        if not self.data.get("current"):
            queryset = queryset.filter(is_current=True)
        return queryset
