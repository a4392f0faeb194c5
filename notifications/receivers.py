from notifications.services import count_unread


def count_at_login(sender, request, user, **kwargs) -> None:
    """Count the bell's figure as the user logs in, so that their pages find it cached."""
    count_unread(user)
