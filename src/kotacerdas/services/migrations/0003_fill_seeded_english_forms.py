"""Fill the English forms of the seeded catalogue (issue #11.6), mark the seeded "nama" fields
as the applicant's name, and let the KTP-el recording visit be booked right after submission.
The dictionary is a frozen copy of ``services/catalogue_en.py`` at the time of writing."""

from django.db import migrations

ENGLISH = {
    "KTP-el baru": "New electronic ID card (KTP-el)",
    "Untuk warga yang berusia 17 tahun atau sudah/pernah menikah dan belum punya KTP-el. Ajukan dari rumah, lalu datang sekali untuk perekaman sidik jari, iris mata dan foto sesuai jadwal yang Anda pilih.": "For residents who are 17 or older, or are or have been married, and have no KTP-el yet. Apply from home, then come once, at the time you choose, to have your fingerprints, iris and photo recorded.",
    "NIK pemohon": "Applicant's NIK (national identity number)",
    "Nomor KK": "Family card (KK) number",
    "Nama lengkap sesuai KK": "Full name as on the family card",
    "Kelurahan/desa tempat tinggal": "Kelurahan/village of residence",
    "Dasar pengajuan": "Grounds for the application",
    "Berusia 17 tahun;Sudah atau pernah menikah": "Aged 17;Married or previously married",
    "Nomor HP yang dapat dihubungi": "Mobile number where we can reach you",
    "Kartu Keluarga (KK)": "Family card (KK)",
    "Foto atau pindaian KK terbaru, seluruh halaman terlihat.": "A photo or scan of the latest family card, the whole page visible.",
    "KTP-el penggantian (hilang, rusak, perubahan data)": "Replacement KTP-el (lost, damaged, changed data)",
    "Untuk mengganti KTP-el yang hilang, rusak, atau datanya berubah. Tidak perlu rekam ulang bila data biometrik sudah ada.": "To replace a KTP-el that is lost, damaged or whose data changed. No new recording is needed when your biometric data is on file.",
    "Alasan penggantian": "Reason for replacement",
    "Hilang;Rusak;Perubahan data": "Lost;Damaged;Changed data",
    "Surat keterangan hilang dari kepolisian": "Police report of the loss",
    "Wajib bila KTP-el hilang.": "Required when the KTP-el was lost.",
    "Foto KTP-el yang rusak": "Photo of the damaged KTP-el",
    "Wajib bila KTP-el rusak.": "Required when the KTP-el is damaged.",
    "Bukti perubahan data": "Proof of the changed data",
    "Misalnya ijazah atau akta, bila data berubah.": "For example a diploma or a certificate, when your data changed.",
    "Kartu Keluarga baru / perubahan": "New or amended family card (KK)",
    "Untuk membuat KK baru setelah menikah, bercerai atau pindah datang, atau mengubah isi KK. Hasilnya KK bertanda tangan elektronik yang Anda unduh dan cetak sendiri di kertas HVS.": "For a new family card after a marriage, a divorce or moving in, or to amend a family card. You receive an electronically signed KK that you download and print yourself on plain paper.",
    "Nomor KK lama": "Old family card number",
    "Alamat (jalan, RT/RW)": "Address (street, RT/RW)",
    "Alasan": "Reason",
    "Menikah;Bercerai;Pindah datang;Perubahan data;Pisah KK": "Marriage;Divorce;Moving in;Changed data;Separate family card",
    "Buku nikah / akta perkawinan, akta perceraian, atau surat keterangan pindah": "Marriage book or certificate, divorce certificate, or moving certificate",
    "Dokumen yang menjadi dasar KK baru atau perubahan.": "The document the new or amended family card is based on.",
    "KK lama": "Old family card",
    "Bila KK berubah atau pisah KK.": "When the family card changes or is split.",
    "Akta kelahiran": "Birth certificate",
    "Untuk mencatat kelahiran anak. Hasilnya akta kelahiran bertanda tangan elektronik.": "To register a child's birth. You receive an electronically signed birth certificate.",
    "Nama anak": "Child's name",
    "Tanggal lahir anak": "Child's date of birth",
    "Tempat lahir anak": "Child's place of birth",
    "Surat keterangan lahir": "Birth notification",
    "Dari rumah sakit, bidan, atau kelurahan/desa.": "From the hospital, the midwife or the kelurahan/village.",
    "Buku nikah orang tua atau SPTJM": "Parents' marriage book or SPTJM",
    "Surat pernyataan tanggung jawab mutlak bila tidak ada buku nikah.": "A statement of full responsibility (SPTJM) when there is no marriage book.",
    "Akta kematian": "Death certificate",
    "Untuk mencatat kematian anggota keluarga. Hasilnya akta kematian bertanda tangan elektronik.": "To register the death of a family member. You receive an electronically signed death certificate.",
    "Nama almarhum/almarhumah": "Name of the deceased",
    "NIK almarhum/almarhumah": "NIK of the deceased",
    "Tanggal meninggal": "Date of death",
    "Surat keterangan kematian": "Death notification",
    "Dari rumah sakit atau kelurahan/desa.": "From the hospital or the kelurahan/village.",
    "KTP-el almarhum/almarhumah": "KTP-el of the deceased",
    "Surat keterangan pindah / pindah datang": "Moving certificate (moving out or in)",
    "Untuk pindah domisili ke luar atau masuk ke daerah ini. Untuk pindah datang, lampirkan SKPWNI dari daerah asal.": "To move your residence out of or into this area. When moving in, attach the SKPWNI from your previous area.",
    "Jenis": "Type",
    "Pindah keluar;Pindah datang": "Moving out;Moving in",
    "Alamat tujuan": "Destination address",
    "KTP-el": "KTP-el (electronic ID card)",
    "Foto sisi depan KTP-el.": "A photo of the front of the KTP-el.",
    "SKPWNI dari daerah asal": "SKPWNI from your previous area",
    "Wajib untuk pindah datang.": "Required when moving in.",
    "Kartu Identitas Anak (KIA)": "Child identity card (KIA)",
    "Kartu identitas untuk anak di bawah 17 tahun.": "The identity card for children under 17.",
    "NIK anak": "Child's NIK",
    "Akta kelahiran anak": "Child's birth certificate",
    "Pas foto anak": "Child's passport photo",
    "Untuk anak usia 5 tahun ke atas; latar polos.": "For children aged 5 and over; plain background.",
    "Kartu pencari kerja (AK/1, kartu kuning)": "Job-seeker card (AK/1, yellow card)",
    "Kartu tanda pencari kerja dari Dinas Tenaga Kerja, syarat melamar banyak lowongan. Berlaku dua tahun.": "The job-seeker card from the manpower office, required for many vacancies. Valid for two years.",
    "Pendidikan terakhir": "Highest education",
    "SD;SMP;SMA/SMK;D3;S1;S2": "Primary school;Junior high school;Senior/vocational high school;Diploma (D3);Bachelor (S1);Master (S2)",
    "Keterampilan atau pengalaman kerja": "Skills or work experience",
    "Ijazah terakhir": "Latest diploma",
    "Pas foto 3x4": "Passport photo 3x4",
    "Latar merah atau biru.": "Red or blue background.",
}

TEXTS = {
    "Service": ["name", "description"],
    "FormField": ["label", "help_text", "choices"],
    "Requirement": ["name", "help_text"],
}


def fill_english(apps, schema_editor):
    for model_name, fields in TEXTS.items():
        model = apps.get_model("services", model_name)
        for field in fields:
            # PostgreSQL casts the parameters even when no row matches: skip texts that could
            # not be stored in this column anyway.
            limit = model._meta.get_field(field).max_length or 10**6
            limit_en = model._meta.get_field(f"{field}_en").max_length or 10**6
            for indonesian, english in ENGLISH.items():
                if len(indonesian) > limit or len(english) > limit_en:
                    continue
                model.objects.filter(**{field: indonesian, f"{field}_en": ""}).update(
                    **{f"{field}_en": english}
                )
    FormField = apps.get_model("services", "FormField")
    FormField.objects.filter(name="nama", kind="text").update(kind="name")
    Service = apps.get_model("services", "Service")
    Service.objects.filter(code="ktp-el-baru", needs_visit=True).update(
        booking_after_verification=False
    )


def clear_english(apps, schema_editor):
    FormField = apps.get_model("services", "FormField")
    FormField.objects.filter(kind="name").update(kind="text")
    # The added columns go with the reverse of the schema migration.


class Migration(migrations.Migration):
    dependencies = [("services", "0002_service_english_forms_booking_rule_applicant_name")]

    operations = [migrations.RunPython(fill_english, clear_english)]
