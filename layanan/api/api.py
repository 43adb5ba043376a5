from ninja import NinjaAPI

api = NinjaAPI(title="Layanan API", version="1", urls_namespace="api")
