"""Access-request e-mail through a real SMTP conversation with a server on 127.0.0.1: the
organisation's admins hear of a request, the requester of the decision; a missing mail
server costs a log line, never the request."""
from __future__ import annotations

import email
import email.policy
import socketserver
import threading

import pytest

from ckan.lib import jobs
from ckan.tests import factories
from ckan.tests.helpers import call_action

from .test_access import released


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 test ready")
        recipients, in_data, data = [], False, []
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if in_data:
                if line == ".":
                    self.server.messages.append(
                        (recipients, email.message_from_string("\n".join(data),
                                                               policy=email.policy.default)))
                    recipients, in_data, data = [], False, []
                    self.reply("250 queued")
                else:
                    data.append(line[1:] if line.startswith("..") else line)
                continue
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip(" <>"))
                self.reply("250 ok")
            elif verb == "DATA":
                in_data = True
                self.reply("354 go on")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def mailbox(ckan_config, monkeypatch):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPHandler)
    server.daemon_threads = True
    server.messages = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{server.server_address[1]}")
    yield server.messages
    server.shutdown()


def run_jobs():
    jobs.Worker(["default"]).work(burst=True)


@pytest.mark.usefixtures("clean_db", "clean_queues", "with_test_worker")
def test_admins_hear_of_a_request_and_the_requester_of_the_decision(mailbox, organization,
                                                                    make_record):
    admin = factories.User(email="admin@agency.example")
    call_action("organization_member_create", id=organization["id"], username=admin["name"],
                role="admin")
    researcher = factories.User(email="researcher@university.example")
    record = released(make_record, "licensed")

    request = call_action("lampangpoverty_access_request_create", {"user": researcher["name"]},
                          id=record.package_id, purpose="ศึกษาหนี้ครัวเรือน",
                          institution="มหาวิทยาลัยเชียงใหม่")
    run_jobs()
    [(to, message)] = mailbox
    assert to == ["admin@agency.example"]
    body = message.get_content()
    assert "ศึกษาหนี้ครัวเรือน" in body and "มหาวิทยาลัยเชียงใหม่" in body
    assert "/poverty-dataset/release-licensed" in body

    call_action("lampangpoverty_access_request_decide", {"user": admin["name"]},
                request_id=request["id"], decision="refuse", reason="ขอบเขตไม่ตรงกับข้อมูล")
    run_jobs()
    to, message = mailbox[1]
    assert to == ["researcher@university.example"]
    assert "ขอบเขตไม่ตรงกับข้อมูล" in message.get_content()


@pytest.mark.usefixtures("clean_db", "clean_queues", "with_test_worker")
def test_without_a_mail_server_the_request_still_stands(organization, make_record,
                                                        ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "smtp.server", "127.0.0.1:9")   # nothing listens
    admin = factories.User(email="admin@agency.example")
    call_action("organization_member_create", id=organization["id"], username=admin["name"],
                role="admin")
    researcher = factories.User()
    record = released(make_record, "licensed")

    queue = jobs.get_queue()
    finished, failed = queue.finished_job_registry.count, queue.failed_job_registry.count

    request = call_action("lampangpoverty_access_request_create", {"user": researcher["name"]},
                          id=record.package_id, purpose="p", institution="i")
    run_jobs()

    assert request["status"] == "pending"
    assert queue.finished_job_registry.count == finished + 1   # the mail job ended normally
    assert queue.failed_job_registry.count == failed
