from playwright.sync_api import expect

from leads.models import Lead


def test_manager_imports_a_csv_and_downloads_the_rejected_rows(
    transactional_db, page, live_server, login, manager, rep, tmp_path
):
    csv_file = tmp_path / "fair.csv"
    csv_file.write_text(
        "Name,Email,Company\nAda Lovelace,ada@engine.example,Analytical\nNo Mail,broken,X\n",
        encoding="utf-8",
    )
    login(manager)
    page.goto(f"{live_server.url}/leads/")
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(csv_file)
    page.get_by_role("button", name="Upload and map columns").click()

    expect(page.get_by_label("Name")).to_have_value("full_name")
    expect(page.locator(".import-preview tbody tr.table-danger")).to_contain_text(
        "“broken” is not an email address."
    )
    page.get_by_label("Owner of the new leads").select_option(label="Alice Rep")
    page.get_by_role("button", name="Import the valid rows").click()

    progress = page.locator("#import-progress")
    expect(progress).to_contain_text("Leads imported: 1. Rows rejected: 1.")
    with page.expect_download() as download:
        progress.get_by_role("link", name="Download the rejected rows (CSV)").click()
    assert download.value.suggested_filename == "fair-rejected.csv"
    lead = Lead.objects.get()
    assert (lead.full_name, lead.owner) == ("Ada Lovelace", rep)
