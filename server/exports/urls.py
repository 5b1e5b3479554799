from django.urls import path

from exports import views

urlpatterns = [
    path("exports/annual/", views.AnnualWorkbookAPI.as_view(), name="export-annual"),
    path("exports/raw/", views.RawDataAPI.as_view(), name="export-raw"),
]
