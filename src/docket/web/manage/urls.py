"""URLs of the administration pages (mounted at /manage/).

Every view here requires an administrator (see ``access.py``) except the two
``invitation`` views, which an invitee without an account opens from the link they
were sent.
"""

from django.urls import path

from docket.web.manage.views import bodies, join, members, organization, people, protocols, units

app_name = "manage"

urlpatterns = [
    path("", organization.index, name="index"),
    path("organization/", organization.organization, name="organization"),
    path("units/", units.units, name="units"),
    path("members/", members.members, name="members"),
    path("members/admit/", members.member_admit_view, name="member_admit"),
    path("members/import/", members.member_import, name="member_import"),
    path("members/<str:person>/", members.member, name="member"),
    path("members/<str:person>/transfer/", members.member_transfer_view, name="member_transfer"),
    path("members/<str:person>/standing/", members.member_standing_view, name="member_standing"),
    path("members/<str:person>/offices/", members.office_begin_view, name="office_begin"),
    path(
        "members/<str:person>/offices/<str:office>/end/",
        members.office_end_view,
        name="office_end",
    ),
    path("people/", people.people, name="people"),
    path("people/<str:person>/invite/", people.person_invite, name="person_invite"),
    path("people/<str:person>/disable/", people.account_disable_view, name="account_disable"),
    path("people/<str:person>/enable/", people.account_enable_view, name="account_enable"),
    path("invitations/", people.invitations, name="invitations"),
    path(
        "invitations/<str:invitation>/withdraw/",
        people.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("bodies/", bodies.bodies, name="bodies"),
    path("bodies/<str:body>/", bodies.body, name="body"),
    path("bodies/<str:body>/seats/", bodies.seat_create_view, name="seat_create"),
    path("bodies/<str:body>/terms/", bodies.term_begin_view, name="term_begin"),
    path("bodies/<str:body>/terms/<str:term>/end/", bodies.term_end_view, name="term_end"),
    path("protocols/", protocols.protocols, name="protocols"),
    path("protocols/check/", protocols.protocol_check, name="protocol_check"),
    path("protocols/adopt/", protocols.protocol_adopt_view, name="protocol_adopt"),
    path("protocols/<slug:protocol_id>/<int:version>/", protocols.protocol, name="protocol"),
    # The invitee's side: no account yet, so no administrator check.
    path("invitation/", join.invitation_accept_view, name="invitation_accept"),
    path("invitation/<str:token>/", join.invitation_open, name="invitation_open"),
]
