from notifications.services import unread_count


def unread_notifications(request) -> dict:
    """The bell's count, taken only when a page shows it (a callable: templates call it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user)}
