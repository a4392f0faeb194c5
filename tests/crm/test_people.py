"""What a user shows of themselves where a name has no room."""

from crm.models import User


def test_initials_are_the_first_letters_of_the_names_or_of_the_username():
    assert [
        User(username="alice", first_name="Alice", last_name="Rep").initials,
        User(username="mia", first_name="mia").initials,
        User(username="jdoe").initials,
    ] == ["AR", "M", "JD"]
