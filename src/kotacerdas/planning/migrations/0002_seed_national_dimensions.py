"""The six national smart-city dimensions and their three elements each (Gerakan Menuju
Smart City, Kominfo). National data: every tenant shares them; administrators may edit names."""

from django.db import migrations

DIMENSIONS = [
    ("governance", "Smart Governance", [
        ("governance-public-services", "Layanan publik"),
        ("governance-bureaucracy", "Birokrasi"),
        ("governance-public-policy", "Kebijakan publik"),
    ]),
    ("branding", "Smart Branding", [
        ("branding-tourism", "Branding pariwisata"),
        ("branding-business", "Branding bisnis"),
        ("branding-city-appearance", "Wajah kota"),
    ]),
    ("economy", "Smart Economy", [
        ("economy-industry", "Ekosistem industri"),
        ("economy-welfare", "Kesejahteraan rakyat"),
        ("economy-financial-transactions", "Ekosistem transaksi keuangan"),
    ]),
    ("living", "Smart Living", [
        ("living-spatial-harmony", "Harmonisasi tata ruang"),
        ("living-health", "Kesehatan"),
        ("living-transport", "Transportasi dan mobilitas"),
    ]),
    ("society", "Smart Society", [
        ("society-community", "Komunitas"),
        ("society-learning", "Ekosistem belajar"),
        ("society-security", "Keamanan"),
    ]),
    ("environment", "Smart Environment", [
        ("environment-protection", "Proteksi lingkungan"),
        ("environment-waste", "Pengelolaan sampah dan limbah"),
        ("environment-energy", "Pengelolaan energi"),
    ]),
]


def seed(apps, schema_editor):
    Dimension = apps.get_model("planning", "Dimension")
    Element = apps.get_model("planning", "Element")
    for order, (code, name, elements) in enumerate(DIMENSIONS, start=1):
        dimension, _created = Dimension.objects.get_or_create(code=code, defaults={"name": name, "order": order})
        for element_order, (element_code, element_name) in enumerate(elements, start=1):
            Element.objects.get_or_create(
                code=element_code,
                defaults={"dimension": dimension, "name": element_name, "order": element_order},
            )


def unseed(apps, schema_editor):
    Dimension = apps.get_model("planning", "Dimension")
    Dimension.objects.filter(code__in=[code for code, _n, _e in DIMENSIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
