app_name = "spbe"

urlpatterns: list = []
