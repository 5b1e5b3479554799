from django.urls import path

from indicators import views

urlpatterns = [
    path("indicators/", views.IndicatorListAPI.as_view(), name="indicator-list"),
    path(
        "indicators/<str:code>/records/",
        views.IndicatorRecordsAPI.as_view(),
        name="indicator-records",
    ),
]
