from tests.manage.conftest import Org, admin_client, admin_user, admit, member_client, org

__all__ = ["Org", "admin_client", "admin_user", "admit", "member_client", "org"]
