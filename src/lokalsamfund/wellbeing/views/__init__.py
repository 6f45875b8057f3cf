"""Pages of the wellbeing domain, one module per area (each with its ``urlpatterns``):
``referrals`` (the caretaker's form and status list, the social workers' queue and referral
page), ``rights`` (rights requests) and ``statistics`` (counts through disclosure control)."""
