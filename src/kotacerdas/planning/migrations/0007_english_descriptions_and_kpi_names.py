"""The six national dimensions get their description in both languages (0002 seeded none), and
programme KPIs an English name and unit that staff may fill in (#11.6: data-driven names have an
English form). Only empty descriptions are filled: an administrator's own text is kept."""

from django.db import migrations, models

HELP = "Terjemahan bahasa Inggris; kosong: teks bahasa Indonesia yang dipakai."

# code: (Indonesian, English), after the national guideline's three elements of each dimension.
DESCRIPTIONS = {
    "governance": (
        "Tata kelola pemerintahan yang efektif, efisien dan komunikatif: layanan publik, "
        "birokrasi dan kebijakan publik.",
        "Effective, efficient and communicative government: public services, bureaucracy and "
        "public policy.",
    ),
    "branding": (
        "Citra daerah yang menarik dan berdaya saing: branding pariwisata, branding bisnis dan "
        "wajah kota.",
        "An attractive and competitive image of the region: tourism branding, business branding "
        "and city appearance.",
    ),
    "economy": (
        "Ekonomi daerah yang produktif dan berdaya saing: ekosistem industri, kesejahteraan "
        "rakyat dan ekosistem transaksi keuangan.",
        "A productive and competitive regional economy: the industry ecosystem, public welfare "
        "and the financial transaction ecosystem.",
    ),
    "living": (
        "Lingkungan tempat tinggal yang layak dan nyaman: harmonisasi tata ruang, kesehatan, "
        "serta transportasi dan mobilitas.",
        "A liveable and comfortable place to live: spatial planning harmony, health, and "
        "transport and mobility.",
    ),
    "society": (
        "Masyarakat yang humanis dan dinamis: komunitas, ekosistem belajar dan keamanan.",
        "A humane and dynamic society: community, the learning ecosystem and security.",
    ),
    "environment": (
        "Lingkungan yang lestari: proteksi lingkungan, pengelolaan sampah dan limbah, serta "
        "pengelolaan energi.",
        "A sustainable environment: environmental protection, waste management and energy "
        "management.",
    ),
}


def fill(apps, schema_editor):
    Dimension = apps.get_model("planning", "Dimension")
    for dimension in Dimension.objects.filter(code__in=DESCRIPTIONS).order_by("pk"):
        indonesian, english = DESCRIPTIONS[dimension.code]
        changed = []
        if not dimension.description:
            dimension.description = indonesian
            changed.append("description")
        if not dimension.description_en and dimension.description == indonesian:
            dimension.description_en = english
            changed.append("description_en")
        if changed:
            dimension.save(update_fields=changed)


def unfill(apps, schema_editor):
    # The English column goes with the reverse of AddField; the Indonesian text this filled in
    # is emptied again only where it is still exactly ours.
    Dimension = apps.get_model("planning", "Dimension")
    for code, (indonesian, _english) in DESCRIPTIONS.items():
        Dimension.objects.filter(code=code, description=indonesian).update(description="")


class Migration(migrations.Migration):
    dependencies = [("planning", "0006_english_names_of_dimensions_elements_programmes")]

    operations = [
        migrations.AddField(
            model_name="dimension",
            name="description_en",
            field=models.TextField(
                blank=True, db_default="", help_text=HELP, verbose_name="keterangan (Inggris)"
            ),
        ),
        migrations.AddField(
            model_name="kpi",
            name="name_en",
            field=models.CharField(
                blank=True,
                db_default="",
                help_text=HELP,
                max_length=200,
                verbose_name="indikator (Inggris)",
            ),
        ),
        migrations.AddField(
            model_name="kpi",
            name="unit_en",
            field=models.CharField(
                blank=True,
                db_default="",
                help_text=HELP,
                max_length=40,
                verbose_name="satuan (Inggris)",
            ),
        ),
        migrations.RunPython(fill, unfill),
    ]
