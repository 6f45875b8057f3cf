"""Services of the wellbeing domain (they write): ``referrals`` (create and handle), and the
rights and retention services. Import from the modules themselves."""
