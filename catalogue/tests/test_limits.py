"""The client address behind trusted proxies, and counters that hold across workers."""

import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from catalogue import limits
from catalogue.models import ErrorReport

from .editors import PASSWORD
from .factories import make_article


def request(remote="198.51.100.7", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


# ---------------------------------------------------------------- client address


def test_without_trusted_proxies_the_header_is_ignored():
    assert limits.client_address(request("198.51.100.7", "203.0.113.5")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.2"])
def test_a_header_from_an_untrusted_address_is_ignored():
    assert limits.client_address(request("198.51.100.7", "203.0.113.5")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.2"])
def test_behind_a_trusted_proxy_the_client_is_the_address_it_appended():
    assert limits.client_address(request("10.0.0.2", "203.0.113.5")) == "203.0.113.5"
    # What the client itself sent stands to the left and is not believed.
    assert limits.client_address(request("10.0.0.2", "1.2.3.4, 203.0.113.5")) == "203.0.113.5"
    assert limits.client_address(request("10.0.0.2", "rubbish, 203.0.113.5")) == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "2001:db8:ffff::/48"])
def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    chain = "1.2.3.4, 203.0.113.5, 10.1.1.1, 10.0.0.3"
    assert limits.client_address(request("10.0.0.2", chain)) == "203.0.113.5"
    assert limits.client_address(request("2001:db8:ffff::1", "203.0.113.5")) == "203.0.113.5"
    # Every hop trusted: the farthest one is the client (a proxy's own health check).
    assert limits.client_address(request("10.0.0.2", "10.0.0.9, 10.0.0.3")) == "10.0.0.9"
    # No header: the proxy itself.
    assert limits.client_address(request("10.0.0.2")) == "10.0.0.2"
    # A malformed hop stops the walk at the last address a trusted proxy wrote.
    assert limits.client_address(request("10.0.0.2", "203.0.113.5, nonsense")) == "10.0.0.2"


@override_settings(TRUSTED_PROXIES=["127.0.0.1", "::1"])
def test_ports_brackets_and_mapped_addresses_are_read():
    assert limits.client_address(request("::1", "[2001:db8::5]:4711")) == "2001:db8::5"
    assert limits.client_address(request("127.0.0.1", "203.0.113.5:8080")) == "203.0.113.5"
    assert limits.client_address(request("::ffff:127.0.0.1", "203.0.113.5")) == "203.0.113.5"
    assert limits.client_address(request("127.0.0.1", "::ffff:203.0.113.5")) == "203.0.113.5"


def test_limits_count_an_ipv6_client_by_its_64_network():
    assert limits.client_key(request("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"
    assert limits.client_key(request("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::/64"
    assert limits.client_key(request("198.51.100.7")) == "198.51.100.7"
    assert limits.client_key(request("")) == "unknown"


# ---------------------------------------------------------------- counting in the database


@pytest.fixture
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_the_cache_is_the_database_table_and_incr_keeps_the_expiry(_empty_cache):
    assert limits.hit("example", 600) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM catalogue_cache")
        (first,) = cursor.fetchone()
    assert timedelta(seconds=590) < first - timezone.now() <= timedelta(seconds=600)
    assert [limits.hit("example", 600) for _ in range(3)] == [2, 3, 4]
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM catalogue_cache")
        assert cursor.fetchone() == (first,)
    assert limits.count("example") == 4


@pytest.mark.django_db(transaction=True)
def test_parallel_hits_are_all_counted(_empty_cache):
    """Django's own database cache reads then writes: parallel increments get lost."""
    threads, each = 6, 15
    barrier = threading.Barrier(threads)
    seen, errors = [], []

    def work():
        try:
            barrier.wait(timeout=10)
            for _ in range(each):
                seen.append(limits.hit("parallel", 600))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []
    assert sorted(seen) == list(range(1, threads * each + 1))
    assert limits.count("parallel") == threads * each


# ---------------------------------------------------------------- behind the proxy


pytestmark_db = pytest.mark.django_db


def login(client, password, address, username="erin"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=address,
    )


@pytestmark_db
@override_settings(TRUSTED_PROXIES=["10.0.0.2"], ADMIN_LOGIN_MAX_FAILURES=3)
def test_guesses_from_elsewhere_do_not_lock_the_editor_out_of_their_own_address(
    client, editor, _empty_cache
):
    for _ in range(5):
        assert login(client, "wrong guess", "203.0.113.66").status_code == 200
    refused = login(client, PASSWORD, "203.0.113.66")
    assert "Too many failed logins" in refused.content.decode()
    # Behind the same proxy (same REMOTE_ADDR), the editor's own address still gets in.
    assert login(client, PASSWORD, "198.51.100.20").status_code == 302


@pytestmark_db
@override_settings(ADMIN_LOGIN_MAX_FAILURES=3)
def test_a_login_clears_the_count_but_an_empty_password_does_not(client, editor, _empty_cache):
    for _ in range(2):
        login(client, "wrong guess", "")
    assert login(client, "", "").status_code == 200  # field error: still counted
    assert "Too many failed logins" in login(client, PASSWORD, "").content.decode()
    cache.clear()
    login(client, "wrong guess", "")
    assert login(client, PASSWORD, "").status_code == 302
    client.logout()
    for _ in range(2):
        login(client, "wrong guess", "")
    assert login(client, PASSWORD, "").status_code == 302


@pytestmark_db
@override_settings(TRUSTED_PROXIES=["10.0.0.2"], REPORTS_PER_HOUR=2)
def test_the_report_limit_counts_each_client_behind_the_proxy(client, _empty_cache):
    url = reverse("report_error", args=[make_article().pk])

    def report(address):
        data = {"message": "Typo in the title."}
        return client.post(url, data, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)

    assert [report("203.0.113.5").status_code for _ in range(3)] == [200, 200, 429]
    # Another reader behind the same proxy, even one claiming to be the first.
    assert report("203.0.113.5, 198.51.100.20").status_code == 200
    assert ErrorReport.objects.count() == 3
