import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from editorial.workflow import roles


def test_staff_role_puts_a_user_in_a_group_and_prints_a_token(db, capsys):
    user = User.objects.create_user("alice")

    call_command("staff_role", "alice", "editor", "--token")

    assert roles(user) == {"editor"}
    assert f"Token {user.auth_token.key}" in capsys.readouterr().out


def test_staff_role_removes_a_role(db):
    user = User.objects.create_user("bob")
    call_command("staff_role", "bob", "reviewer")

    call_command("staff_role", "bob", "reviewer", "--remove")

    assert roles(user) == set()


def test_staff_role_for_an_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("staff_role", "nobody", "editor")


def test_staff_role_lets_the_user_sign_in_to_the_admin(db, client):
    user = User.objects.create_user("carla", password="s3cret-pass")

    call_command("staff_role", "carla", "editor")

    user.refresh_from_db()
    assert user.is_staff
    assert client.login(username="carla", password="s3cret-pass")
    assert client.get("/admin/sites/site/").status_code == 200
