"""The admin follows the browser's language; the API's messages stay English."""


def test_the_admin_speaks_turkish_to_a_turkish_browser(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="tr")

    assert response.headers["Content-Language"] == "tr"
    assert "Kullanıcı" in response.content.decode()


def test_api_errors_stay_english_whatever_the_browser_asks(db, client):
    response = client.get("/api/v1/staff/sites", HTTP_ACCEPT_LANGUAGE="tr")

    assert response.status_code == 401
    assert "credentials were not provided" in response.json()["detail"]
