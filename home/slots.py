"""My day, as a region activity forms open in (see ``activities.slots``)."""

from django.urls import reverse

from activities.slots import Slot
from home.my_day import build_day

DAY = Slot(
    name="day",
    template="home/home.html#day",
    element_id=lambda record: "my-day",
    url=lambda record: reverse("home"),
    context=lambda request, record: {"day": build_day(request.user)},
)
