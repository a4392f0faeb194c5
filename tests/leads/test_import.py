import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leads import importing
from leads.models import Lead, LeadImport
from tests.factories import make_contact, make_lead

UPLOAD = reverse("leads:import")

GOOD_CSV = (
    "Full Name,E-mail,Company,Phone,Lead source\n"
    "Ada Lovelace,ada@engine.example,Analytical,+44 20 7946 0958,Referral\n"
    "Alan Turing,alan@bletchley.example,Bletchley,,\n"
    ",nobody@x.example,No Name Ltd,,\n"
    "Grace Hopper,not-an-email,Navy,,\n"
    "Known Lead,known@x.example,Dup Inc,,\n"
    "Known Contact,contact@x.example,Dup Inc,,\n"
    "Ada Again,ADA@engine.example,Analytical,,\n"
    "Odd Source,odd@x.example,Odd,,Carrier pigeon\n"
)


def upload(client, content: bytes | str, name="leads.csv"):
    if isinstance(content, str):
        content = content.encode()
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content, "text/csv")})


def columns(*fields: str) -> dict[str, str]:
    """A mapping as an import stores it: the number of each column, as text, to its field."""
    return {str(number): field for number, field in enumerate(fields)}


@pytest.fixture
def uploaded(manager_client, manager, rep):
    make_lead(last_name="Known", email="known@x.example", owner=rep)
    make_contact(last_name="Contact", email="Contact@x.example", owner=rep)
    upload(manager_client, GOOD_CSV)
    return LeadImport.objects.get()


def test_upload_guesses_the_mapping_and_shows_a_preview(manager_client, uploaded):
    assert uploaded.headers == ["Full Name", "E-mail", "Company", "Phone", "Lead source"]
    assert uploaded.mapping == columns("full_name", "email", "company_name", "phone", "source")
    assert uploaded.total == 8

    response = manager_client.get(uploaded.get_absolute_url())

    rows = {row.line: row for row in response.context["rows"]}
    assert rows[2].errors == [] and rows[2].duplicate == ""
    assert rows[4].errors == ["The last name is missing."]
    assert rows[5].errors == ["“not-an-email” is not an email address."]
    assert rows[6].duplicate == "A lead with this email exists."
    assert rows[7].duplicate == "A contact with this email exists."
    assert rows[8].duplicate == "The same email is on an earlier row."
    assert rows[9].errors == ["Unknown source “Carrier pigeon”."]
    body = response.content.decode()
    assert "table-danger" in body and "table-warning" in body


def test_import_saves_valid_rows_and_offers_the_rejected_back(
    manager_client, manager, uploaded, rep, django_capture_on_commit_callbacks
):
    data = {f"column_{i}": field for i, field in uploaded.mapping.items()}
    data.update(owner=rep.pk, skip_duplicates="on", start="1")

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("leads:import_map", args=[uploaded.pk]), data)

    assert response["Location"] == uploaded.get_absolute_url()
    uploaded.refresh_from_db()
    assert (uploaded.status, uploaded.imported, uploaded.rejected) == ("done", 2, 6)
    assert uploaded.content == ""  # the upload is not kept once imported
    ada = Lead.objects.get(email="ada@engine.example")
    assert (ada.first_name, ada.last_name, ada.phone, ada.source.code, ada.owner, ada.team) == (
        "Ada",
        "Lovelace",
        "+442079460958",
        "referral",
        rep,
        rep.team,
    )
    assert Lead.objects.get(last_name="Turing").source.code == "import"
    assert list(ada.status_changes.values_list("to_status", "changed_by")) == [("new", manager.pk)]

    rejected = manager_client.get(reverse("leads:import_rejected", args=[uploaded.pk]))
    assert rejected["Content-Type"] == "text/csv; charset=utf-8"
    assert rejected["Content-Disposition"] == 'attachment; filename="leads-rejected.csv"'
    assert rejected["Cache-Control"] == "private, no-store"
    text = rejected.content.decode()
    assert text.startswith("\ufeff")  # so that Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["Full Name", "E-mail", "Company", "Phone", "Lead source", "Reason"]
    assert [row[-1] for row in rows[1:]] == [
        "The last name is missing.",
        "“not-an-email” is not an email address.",
        "A lead with this email exists.",
        "A contact with this email exists.",
        "The same email is on an earlier row.",
        "Unknown source “Carrier pigeon”.",
    ]
    body = manager_client.get(uploaded.get_absolute_url()).content.decode()
    assert "Leads imported: 2. Rows rejected: 6." in body


def test_duplicates_are_imported_when_not_skipped(
    manager_client, uploaded, manager, django_capture_on_commit_callbacks
):
    data = {f"column_{i}": field for i, field in uploaded.mapping.items()}
    data.update(owner=manager.pk, start="1")

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("leads:import_map", args=[uploaded.pk]), data)

    uploaded.refresh_from_db()
    assert (uploaded.imported, uploaded.rejected) == (5, 3)


def test_mapping_must_name_the_last_name_and_use_fields_once(manager_client, uploaded, manager):
    url = reverse("leads:import_map", args=[uploaded.pk])

    response = manager_client.post(url, {"column_1": "email", "owner": manager.pk})
    assert "Choose the column holding the last or full name." in response.content.decode()

    response = manager_client.post(
        url,
        {"column_0": "last_name", "column_1": "email", "column_2": "email", "owner": manager.pk},
    )
    assert "“Email” is chosen for more than one column." in response.content.decode()
    uploaded.refresh_from_db()
    assert uploaded.status == "uploaded"


def test_a_failing_import_is_marked_failed_and_saves_nothing(
    manager_client, uploaded, manager, monkeypatch
):
    monkeypatch.setattr(importing, "BATCH_SIZE", 1)
    real = Lead.objects.bulk_create
    calls = []

    def fail_on_second(objs, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Lead.objects, "bulk_create", fail_on_second)
    LeadImport.objects.filter(pk=uploaded.pk).update(status="queued")

    with pytest.raises(RuntimeError):
        importing.run_import(uploaded.pk)

    uploaded.refresh_from_db()
    assert uploaded.status == "failed"
    assert "no leads were imported" in uploaded.error
    assert Lead.objects.count() == 1  # the one the fixture made


def test_running_an_import_twice_imports_once(uploaded, manager):
    LeadImport.objects.filter(pk=uploaded.pk).update(status="queued")
    importing.run_import(uploaded.pk)
    importing.run_import(uploaded.pk)

    uploaded.refresh_from_db()
    assert uploaded.imported == 2
    assert Lead.objects.filter(email="ada@engine.example").count() == 1


def test_progress_is_polled_with_htmx_until_done(manager_client, uploaded, htmx_headers):
    LeadImport.objects.filter(pk=uploaded.pk).update(status="running", processed=4)

    response = manager_client.get(uploaded.get_absolute_url(), headers=htmx_headers)
    body = response.content.decode()
    assert body.strip().startswith('<section id="import-progress"')
    assert 'hx-trigger="every 1s"' in body
    assert 'value="50"' in body
    assert "4 of 8 rows checked." in body

    LeadImport.objects.filter(pk=uploaded.pk).update(status="done")
    body = manager_client.get(uploaded.get_absolute_url(), headers=htmx_headers).content.decode()
    assert "every 1s" not in body
    full = manager_client.get(uploaded.get_absolute_url()).content.decode()
    assert "<html" in full


def test_progress_of_a_one_row_file_reads_in_the_singular(manager_client, uploaded, htmx_headers):
    LeadImport.objects.filter(pk=uploaded.pk).update(status="running", processed=0, total=1)
    running = manager_client.get(uploaded.get_absolute_url(), headers=htmx_headers)
    LeadImport.objects.filter(pk=uploaded.pk).update(status="saving", processed=1)
    saving = manager_client.get(uploaded.get_absolute_url(), headers=htmx_headers)

    assert "0 of 1 row checked." in running.content.decode()
    assert "1 row checked; saving the lead…" in saving.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"   \n  \n", "The file is empty."),
        (b"name,email\n", "The file has a header row but no leads under it."),
        ("Nom,Société\nRenée,Crème\n".encode("latin-1"), "The file is not UTF-8 text."),
        (b'name,email\n"Ada,ada@x.example\nBob,bob@x.example\n', "could not be read as CSV"),
        (b"PK\x03\x04\x00\x00binary", "This does not look like a CSV file."),
    ],
)
def test_malformed_files_get_a_clear_message(manager_client, content, message):
    response = upload(manager_client, content)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert LeadImport.objects.count() == 0


def test_huge_files_are_refused(manager_client, monkeypatch):
    monkeypatch.setattr(importing, "MAX_BYTES", 100)
    response = upload(manager_client, "name\n" + "x\n" * 100)
    assert "The file is too large" in response.content.decode()

    monkeypatch.setattr(importing, "MAX_BYTES", 10_000)
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    response = upload(manager_client, "name\n" + "x\n" * 4)
    assert "more than 3 rows" in response.content.decode()
    assert LeadImport.objects.count() == 0


def test_semicolon_files_and_byte_order_marks_are_read(manager_client):
    upload(manager_client, "\ufeffLast name;Email\nDoe;doe@x.example\n".encode())

    lead_import = LeadImport.objects.get()
    assert lead_import.headers == ["Last name", "Email"]
    assert lead_import.mapping == columns("last_name", "email")


def test_semicolon_files_with_ragged_rows_are_read(manager_client):
    # A spreadsheet export: a short row and a comma inside a company name defeat the sniffer.
    upload(
        manager_client,
        "Nombre;Apellido;E-mail;Empresa;Teléfono\n"
        "Juan;Pérez;juan@perez.example;Pérez SL;+34 600 000 000\n"
        ";Sin Nombre;bad-email\n"
        "Lucía;García;lucia@solaris.example;Solaris, S.L.;\n".encode(),
    )

    lead_import = LeadImport.objects.get()
    assert lead_import.headers == ["Nombre", "Apellido", "E-mail", "Empresa", "Teléfono"]
    assert lead_import.mapping == columns(
        "first_name", "last_name", "email", "company_name", "phone"
    )
    assert [values for _, values in importing.iter_rows(lead_import)][2] == [
        "Lucía",
        "García",
        "lucia@solaris.example",
        "Solaris, S.L.",
        "",
    ]


def test_preview_keeps_a_short_row_check_in_the_check_column(manager_client):
    upload(manager_client, "Last name,Email,Company\nDoe,doe@x.example,Acme\nShort,short@x.example")

    html = manager_client.get(LeadImport.objects.get().get_absolute_url()).content.decode()

    row = html.split("<td>3</td>", 1)[1].split("</tr>", 1)[0]
    assert '<td colspan="3">Short · short@x.example</td>' in row
    assert "<td>Has 2 columns instead of 3.</td>" in row


def test_rep_cannot_import_or_see_imports(rep_client, uploaded):
    assert rep_client.get(UPLOAD).status_code == 404
    assert upload(rep_client, GOOD_CSV).status_code == 404
    for name in ("import_detail", "import_rejected"):
        assert rep_client.get(reverse(f"leads:{name}", args=[uploaded.pk])).status_code == 404
    assert rep_client.post(reverse("leads:import_map", args=[uploaded.pk])).status_code == 404


def test_another_managers_import_is_404(uploaded, south, db):
    from django.test import Client

    from crm.models import User
    from tests.factories import make_user

    other = make_user(username="sam", role=User.Role.MANAGER)
    client = Client()
    client.force_login(other)
    assert client.get(uploaded.get_absolute_url()).status_code == 404


def test_import_pages_wrong_method_and_anonymous(manager_client, client, uploaded):
    assert manager_client.get(reverse("leads:import_map", args=[uploaded.pk])).status_code == 405
    assert manager_client.put(UPLOAD).status_code == 405
    assert client.get(UPLOAD)["Location"].startswith("/accounts/login/")


def test_rows_whose_website_is_no_web_address_are_rejected_with_the_reason(
    manager_client, manager, django_capture_on_commit_callbacks
):
    upload(
        manager_client,
        "Name,Email,Website\n"
        "Ana Ruiz,ana@almendral.example,https://www.almendral.example\n"
        "Bea Gil,bea@gil.example,www.gil.example\n"
        "Eve Hack,eve@hack.example,javascript:alert(1)\n"
        "Fay Ftp,fay@ftp.example,ftp://files.ftp.example\n"
        "Gus Odd,gus@odd.example,not a website\n",
    )
    lead_import = LeadImport.objects.get()
    data = {f"column_{i}": field for i, field in lead_import.mapping.items()}
    data.update(owner=manager.pk, start="1")

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("leads:import_map", args=[lead_import.pk]), data)

    lead_import.refresh_from_db()
    assert (lead_import.status, lead_import.imported, lead_import.rejected) == ("done", 2, 3)
    assert sorted(Lead.objects.values_list("website", flat=True)) == [
        "https://www.almendral.example",
        "https://www.gil.example",  # read as the lead form reads it
    ]
    rejected = list(csv.reader(io.StringIO(lead_import.rejected_csv)))
    assert [row[-1] for row in rejected[1:]] == [
        "“javascript:alert(1)” is not a web address (http:// or https://).",
        "“ftp://files.ftp.example” is not a web address (http:// or https://).",
        "“not a website” is not a web address (http:// or https://).",
    ]


def test_a_file_wider_than_a_mapping_can_hold_is_refused_at_upload(manager_client):
    header = ",".join(f"Field {number}" for number in range(999))
    row = ",".join(["Ada"] * 999)

    response = upload(manager_client, f"Name,{header}\nLovelace,{row}\n")

    assert response.status_code == 200
    assert LeadImport.objects.count() == 0
    assert response.context["form"].errors["file"] == [
        "Line 1 has 1,000 columns; at most 200 can be imported. "
        "Remove the columns you do not need and upload the file again."
    ]


def test_a_file_as_wide_as_allowed_is_mapped(manager_client):
    others = ",".join(f"Note {number}" for number in range(importing.MAX_COLUMNS - 1))
    upload(manager_client, f"Last name,{others}\nLovelace,{',' * (importing.MAX_COLUMNS - 2)}\n")
    lead_import = LeadImport.objects.get()

    page = manager_client.get(lead_import.get_absolute_url())

    assert page.status_code == 200
    assert len(page.context["form"].column_fields()) == importing.MAX_COLUMNS
