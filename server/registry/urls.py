from rest_framework.routers import DefaultRouter

from registry import views

router = DefaultRouter()
router.register("towns", views.TownViewSet, basename="town")
router.register("admin-villages", views.AdministrativeVillageViewSet, basename="admin-village")
router.register("natural-villages", views.NaturalVillageViewSet, basename="natural-village")
router.register("facilities", views.SewageFacilityViewSet, basename="facility")
router.register("water-bodies", views.WaterBodyViewSet, basename="water-body")
router.register("contractors", views.ContractorViewSet, basename="contractor")

urlpatterns = router.urls
