"""An email's text split into its messages: real replies and chains from the shared corpus,
and synthetic MP/council chains in the styles caseworkers send (all names invented)."""

from __future__ import annotations

import email
import email.policy
import os
import time
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest

from correspond.domain.clock import COUNCIL_TIME_ZONE
from correspond.errors import UnreadableFile
from correspond.ingest import read_document
from correspond.parts.messages import message_parts, split_messages
from correspond.records import LetterParts, Message

_CORPUS = Path(os.environ.get("CORRESPOND_CORPUS")
               or Path(__file__).resolve().parents[2] / "shared" / "corpus")


def _london(*args: int) -> datetime:
    return datetime(*args, tzinfo=COUNCIL_TIME_ZONE)


def _text(text: str, span) -> str | None:
    return None if span is None else span.text_of(text)


def _own_words(text: str, messages: tuple[Message, ...]) -> str:
    """The newest message's body, its stretches joined."""
    return "\n".join(m.body.text_of(text) for m in messages if m.depth == 0 and m.body)


def _quoted(messages: tuple[Message, ...]) -> list[Message]:
    """The older messages that have a header, newest first."""
    return [m for m in messages if m.depth > 0 and m.header is not None]


def assert_well_formed(text: str, messages: tuple[Message, ...]) -> None:
    """The spans cover the text, once, and each part sits inside its message, in order."""
    assert messages and messages[0].depth == 0 and messages[0].how == "top"
    assert [m.depth for m in messages] == sorted(m.depth for m in messages)
    covered = sorted((m.span.start, m.span.end) for m in messages)
    position = 0
    for start, end in covered:
        assert start == position, (start, position)
        position = end
    assert position == len(text)
    for message in messages:
        inner = [s for s in (message.header, message.body, message.signature,
                             message.disclaimer) if s is not None]
        for span in inner:
            assert message.span.start <= span.start < span.end <= message.span.end
            assert span.text_of(text).strip() == span.text_of(text)
        assert all(a.end <= b.start for a, b in pairwise(inner)), message
        assert message.how in ("top", "quoted", "forwarded")
        assert (message.how == "top") == (message.depth == 0)


# --- Real replies: talon's standard replies and github/email_reply_parser's fixtures ------

def _plain_part(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return message.get_body(preferencelist=("plain",)).get_content()


_TALON = ["aol", "android", "apple_mail", "apple_mail_2", "comcast", "gmail", "hotmail",
          "iphone", "outlook", "sparrow", "thunderbird", "yahoo"]


@pytest.mark.corpus
@pytest.mark.parametrize("client", _TALON)
def test_a_reply_above_the_original_keeps_only_its_own_words(corpus_dir, client):
    # Upstream (mailgun/talon) expects the visible reply to be "Hello" for every client,
    # with the signature kept for Sparrow and the iPhone.
    folder = corpus_dir / "replies" / "talon" / "standard_replies"
    text = _plain_part(folder / f"{client}.eml")
    messages = split_messages(text)
    assert_well_formed(text, messages)
    assert _own_words(text, messages).strip() == "Hello"
    expected_reply = folder / f"{client}_reply_text"
    if expected_reply.exists():
        top = messages[0]
        visible = text[top.body.start:top.signature.end]
        assert visible.split() == expected_reply.read_text().split()
    older = [m for m in messages if m.depth > 0]
    assert older and "Hi" in _text(text, older[-1].body)


@pytest.mark.corpus
def test_quoted_headers_from_real_clients_give_sender_and_sent_time(corpus_dir):
    folder = corpus_dir / "replies" / "talon" / "standard_replies"
    read = {client: _quoted(split_messages(_plain_part(folder / f"{client}.eml")))[0]
            for client in ("aol", "gmail", "hotmail", "apple_mail_2", "outlook", "yahoo")}
    assert read["aol"].sender == "bob <bob@example.com>"
    assert read["aol"].sent == _london(2012, 4, 2, 17, 49)
    assert read["aol"].subject == "Test"
    assert read["gmail"].sender == "Megan One <xxx@gmail.com>"
    assert read["gmail"].sent == _london(2012, 4, 2, 18, 26)
    # Hotmail quotes the header block itself, with its own zone.
    assert read["hotmail"].sent == datetime.fromisoformat("2012-04-02T17:44:22+04:00")
    assert read["apple_mail_2"].sent == _london(2015, 8, 22, 19, 21)
    assert read["outlook"].sender == "xxx@xxx.mailgun.org"  # "[mailto:...]" dropped
    assert read["outlook"].sent == _london(2012, 3, 9, 16, 22)
    assert read["yahoo"].sender == "bob@xxx.mailgun.org"


_ERP = "replies/email_reply_parser"


def _fixture(corpus_dir: Path, name: str) -> tuple[str, tuple[Message, ...]]:
    text = (corpus_dir / _ERP / f"{name}.txt").read_bytes().decode("utf-8")  # keeps "\r\n"
    messages = split_messages(text)
    assert_well_formed(text, messages)
    return text, messages


# Upstream's parse_reply expectations (test/email_reply_parser_test.rb).
@pytest.mark.corpus
@pytest.mark.parametrize(("name", "reply"), [
    ("email_2_1", "Outlook with a reply"),
    ("email_2_2", "Outlook with a reply directly above line"),
    ("email_2_3", "Outlook with a reply directly above line"),
    ("email_iPhone", "Here is another email"),
    ("email_BlackBerry", "Here is another email"),
    ("email_multi_word_sent_from_my_mobile_device", "Here is another email"),
    ("email_sent_from_my_not_signature",
     "Here is another email\n\nSent from my desk, is much easier then my mobile phone."),
    ("email_bullets", ("test 2 this should list second\n\nand have spaces\n\nand retain this "
                       "formatting\n\n\n   - how about bullets\n   - and another")),
])
def test_the_newest_message_is_what_upstream_expects(corpus_dir, name, reply):
    text, messages = _fixture(corpus_dir, name)
    assert _own_words(text, messages) == reply


@pytest.mark.corpus
def test_signatures_with_and_without_the_dashes(corpus_dir):
    text, messages = _fixture(corpus_dir, "correct_sig")
    assert _text(text, messages[0].signature) == "-- \nrick"
    assert _text(text, messages[0].body) == "this is an email with a correct -- signature."

    text, messages = _fixture(corpus_dir, "email_1_1")
    top = messages[0]
    assert _text(text, top.body).endswith("I am currently using the Java HTTP API.")
    assert _text(text, top.signature) == "-Abhishek Kona"
    assert "riak-users mailing list" in _text(text, top.disclaimer)

    text, messages = _fixture(corpus_dir, "email_sig_delimiter_in_middle_of_line")
    assert messages[0].signature is None
    assert _text(text, messages[0].body).endswith("kthxbai")

    text, messages = _fixture(corpus_dir, "email_1_5")  # bullets are not signatures
    assert len(messages) == 1 and messages[0].signature is None


@pytest.mark.corpus
def test_a_top_post_over_two_levels_of_quoting(corpus_dir):
    text, messages = _fixture(corpus_dir, "email_1_3")
    top = messages[0]
    assert _text(text, top.body) == "Oh thanks.\n\nHaving the function would be great."
    assert _text(text, top.signature) == "-Abhishek Kona"
    first, second = _quoted(messages)
    assert _text(text, first.header) == "On 01/03/11 7:07 PM, Russell Brown wrote:"
    assert first.depth == 1 and first.sender == "Russell Brown"
    assert first.sent == _london(2011, 3, 1, 19, 7)  # day first: the 1st of March
    assert second.depth == 2 and second.sender == "Abhishek Kona"
    assert second.sent == datetime.fromisoformat("2011-03-01T18:02:00+05:30")
    # Russell's reply is written between the lines he quotes: his message comes in stretches.
    russell = [m for m in messages if m.depth == 1]
    assert any("You can list the keys" in _text(text, m.body) for m in russell)


@pytest.mark.corpus
def test_replies_written_between_the_quoted_lines_stay_the_newest(corpus_dir):
    text, messages = _fixture(corpus_dir, "email_1_8")
    top = [m for m in messages if m.depth == 0]
    assert [_text(text, m.body) for m in top if m.body] == [
        "I will reply under this one", "and under this."]
    assert _text(text, top[-1].signature) == "--\nHey there, this is my signature"
    assert messages[0].span.start > 0  # the email opens with the quote header
    assert _quoted(messages)[0].sender == "Example Dev <sugar@example.com>"

    text, messages = _fixture(corpus_dir, "email_1_2")  # a bottom post
    assert _text(text, messages[0].body) == "Hi,"
    assert any(m.depth == 0 and m.body and _text(text, m.body).startswith("You can list")
               for m in messages)


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "header", "sender", "sent"), [
    ("email_1_4", "On Aug 22, 2011, at 7:37 PM, defunkt<reply@reply.github.com> wrote:",
     "defunkt <reply@reply.github.com>", (2011, 8, 22, 19, 37)),
    ("email_1_6", ("On Dec 16, 2011, at 12:47 PM, Corey Donohoe\n<reply@reply.github.com>\n"
                   "wrote:"), "Corey Donohoe <reply@reply.github.com>", (2011, 12, 16, 12, 47)),
    ("email_1_7", ("On Tue, Sep 25, 2012 at 8:59 AM, Chris Wanstrath\r\n"
                   "<notifications@github.com>wrote:"),
     "Chris Wanstrath <notifications@github.com>", (2012, 9, 25, 8, 59)),
])
def test_reply_headers_wrapped_over_lines(corpus_dir, name, header, sender, sent):
    text, messages = _fixture(corpus_dir, name)
    quoted = _quoted(messages)[0]
    assert _text(text, quoted.header) == header
    assert quoted.sender == sender
    assert quoted.sent == _london(*sent)


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "last_own_words"), [
    ("greedy_on", "If that\nfails, the tunnel is not working."),
    ("email_one_is_not_on", "Locally (on development), when I run..."),
])
def test_a_paragraph_opening_with_on_is_not_a_quote_header(corpus_dir, name, last_own_words):
    text, messages = _fixture(corpus_dir, name)
    assert _own_words(text, messages).endswith(last_own_words)
    assert len(_quoted(messages)) == 1
    assert _text(text, _quoted(messages)[0].header).startswith("On ")
    assert _text(text, _quoted(messages)[0].header).endswith("wrote:")


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["pathological", "email_long_quote"])
def test_pathological_emails_are_split_quickly(corpus_dir, name):
    text = (corpus_dir / _ERP / f"{name}.txt").read_bytes().decode("utf-8")  # keeps "\r\n"
    started = time.perf_counter()
    messages = split_messages(text)
    assert time.perf_counter() - started < 1.0  # upstream's bound
    assert_well_formed(text, messages)
    if name == "pathological":
        assert _own_words(text, messages).endswith("get back to a computer.")
        assert _quoted(messages)[0].sender == "John Sullivan <notifications@github.com>"


# --- Real chains from the .eml and .msg corpus, read by correspond's own reader ----------

def _read(corpus_dir: Path, relative: str) -> tuple[str, tuple[Message, ...]]:
    path = corpus_dir / relative
    document = read_document(path.read_bytes(), path.name)
    messages = split_messages(document.text, sent=document.sent, subject=document.subject)
    assert_well_formed(document.text, messages)
    assert messages[0].sent == document.sent and messages[0].subject == document.subject
    return document.text, messages


@pytest.mark.corpus
def test_a_six_deep_gmail_chain_rendered_without_quote_marks(corpus_dir):
    text, messages = _read(corpus_dir, "msg/omp_simple_reply_with_CC.msg")
    assert _own_words(text, messages) == "This is a dummy CC test mail."
    chain = _quoted(messages)
    assert [m.depth for m in chain] == [1, 2, 3, 4, 5, 6]
    assert [m.sender.split(" <")[0] for m in chain] == [
        "David Johnston", "Benny Bottema", "David Johnston", "David Johnston",
        "Benny Bottema", "David Johnston"]
    assert [m.sent for m in chain] == [
        _london(2019, 12, 18, 10, 34), _london(2019, 12, 17, 13, 44),
        _london(2019, 12, 17, 13, 36), _london(2019, 12, 17, 10, 46),
        _london(2019, 12, 16, 15, 39), _london(2019, 12, 16, 14, 21)]
    assert chain[0].sender == "David Johnston <davidjono555@gmail.com>"  # "<mailto:>" gone
    assert "Warm regards" in _text(text, chain[4].signature)


@pytest.mark.corpus
def test_forwarded_and_original_message_banners(corpus_dir):
    text, messages = _read(corpus_dir, "eml/mikel_attachment_with_base64_encoded_name.eml")
    forwarded = _quoted(messages)[0]
    assert forwarded.how == "forwarded"
    assert forwarded.sender == "xxxxx xxxxxx <xxxxxxxx@xxx.com>"
    assert forwarded.sent == _london(2005, 5, 8, 13, 17)
    assert forwarded.subject == "Signed email causes file attachments"
    assert _text(text, forwarded.body).endswith("Test attachments with Base64 encoded filename.")

    text, messages = _read(corpus_dir, "msg/poi_chinese-traditional.msg")
    original = _quoted(messages)[0]
    assert _text(text, original.header).startswith("-----Original Message-----")
    assert original.how == "quoted" and original.sent == _london(2011, 3, 25, 17, 46)


@pytest.mark.corpus
def test_forwards_in_other_languages_are_split_without_guessing_dates(corpus_dir):
    text, messages = _read(corpus_dir, "eml/spamscope_mail_test_7_forward_pdf.eml")
    chain = _quoted(messages)
    assert [m.depth for m in chain] == [1, 2, 3]
    assert all(m.how == "forwarded" for m in chain)  # "I: Ordine", "Inizio messaggio inoltrato"
    assert chain[2].sender == "Anna Milone <anna.milone@mmlampadari.com>"
    assert all(m.sent is None for m in chain)  # "9 giugno 2017": not read as a wrong date
    assert "Nota di riservatezza" in _text(text, messages[0].disclaimer)

    text, messages = _read(corpus_dir, "msg/msgreader_sender_not_found_from_exchange.msg")
    forwarded = _quoted(messages)[0]
    assert forwarded.how == "forwarded"  # "TR: CHANTIER ST CHEF"
    assert forwarded.sender == "Cathy GRIMONET <commercial@arcencielrecyclage.fr>"
    assert "This e-mail may be privileged" in _text(text, forwarded.disclaimer)


@pytest.mark.corpus
def test_an_email_forwarding_another_without_a_word_of_its_own(corpus_dir):
    _, messages = _read(corpus_dir, "msg/omp_forward_with_attachments_and_embedded_images.msg")
    top, forwarded = messages[0], messages[1]
    assert top.span.start == top.span.end == 0 and top.body is None
    assert forwarded.how == "forwarded" and forwarded.sender == "Microsoft Outlook"
    assert forwarded.sent == _london(2016, 4, 11, 19, 11)


@pytest.mark.corpus
def test_real_signatures_and_notices(corpus_dir):
    text, messages = _read(corpus_dir, "eml/mikel_cte_x_uuencode_word_doc.eml")
    top = messages[0]
    assert _text(text, top.body) == "Attached are the comments of the Public Generating Pool."
    assert _text(text, top.signature).endswith("lpeters@pacifier.com")
    assert _text(text, top.disclaimer).startswith("NOTICE:  This communication")

    text, messages = _read(corpus_dir, "msg/msgreader_TxtSampleEmailWithAttachment.msg")
    assert "Leeds City Council" in _text(text, messages[0].signature)
    assert _text(text, messages[0].body) == (
        "This is a sample plain text email with an attachment")


@pytest.mark.corpus
def test_every_readable_corpus_email_splits_into_well_formed_messages(corpus_dir):
    count = 0
    for kind in ("eml", "msg"):
        for path in sorted((corpus_dir / kind).iterdir()):
            try:
                document = read_document(path.read_bytes(), path.name)
            except UnreadableFile:  # refused files are test_corpus.py's business
                continue
            messages = split_messages(document.text, sent=document.sent,
                                      subject=document.subject)
            assert_well_formed(document.text, messages)
            count += 1
    assert count > 50


# --- Synthetic chains as MP offices and councils write them -------------------------------

OUTLOOK_CHAIN = """\
Dear SEND Team,

I am chasing my email below about my constituent Mrs Amira Haddad and her son Yusuf \
(DOB 12/05/2016). I have still not had a substantive reply.

Kind regards

Tom Ellery
Senior Caseworker
Office of Priya Natt MP
Tel: 020 7946 0455

UK Parliament Disclaimer: this e-mail is confidential to the intended recipient. If you \
have received it in error, please notify the sender and delete it from your system. Any \
unauthorised use, disclosure, or copying is not permitted.
If your matter is urgent please telephone the office on 020 7946 0455.

From: SEND Casework <send.casework@northshire.example.gov.uk>
Sent: 14 March 2026 10:42
To: ELLERY, Tom <tom.ellery@parliament.example.uk>
Subject: RE: Yusuf Haddad - EHCP annual review - Our ref PN/2026/118

Dear Mr Ellery,

Thank you for your email of 3 March. We have passed this to Yusuf's case officer, who \
will respond within 10 working days. Our reference is SEN-44120.

Regards,
Dana Whitfield
SEND Casework Officer
Northshire County Council

This email and any attachments are confidential and intended solely for the addressee. \
If you are not the intended recipient please notify the sender and delete it.

From: ELLERY, Tom <tom.ellery@parliament.example.uk>
Sent: Tuesday, March 3, 2026 9:15 AM
To: SEND Casework <send.casework@northshire.example.gov.uk>
Subject: Yusuf Haddad - EHCP annual review - Our ref PN/2026/118

Dear SEND Team,

Yusuf's annual review was held on 9 December 2025 and the family have still not \
received the amended plan. Could you let us know when it will be issued?

Many thanks,
Tom Ellery
"""


def test_an_outlook_chain_three_deep():
    sent = datetime(2026, 3, 20, 9, 30, tzinfo=UTC)
    text = OUTLOOK_CHAIN
    messages = split_messages(text, sent=sent, subject="RE: Yusuf Haddad - chaser")
    assert_well_formed(text, messages)
    top, council, first = messages
    assert (top.depth, council.depth, first.depth) == (0, 1, 2)
    assert top.sent == sent and top.subject == "RE: Yusuf Haddad - chaser"
    assert _text(text, top.body).endswith("I have still not had a substantive reply.")

    assert council.how == "quoted"
    assert council.sender == "SEND Casework <send.casework@northshire.example.gov.uk>"
    assert council.sent == _london(2026, 3, 14, 10, 42)
    assert council.subject == "RE: Yusuf Haddad - EHCP annual review - Our ref PN/2026/118"
    assert _text(text, council.header).startswith("From: SEND Casework")
    assert _text(text, council.header).endswith("Our ref PN/2026/118")
    assert "SEN-44120" in _text(text, council.body)
    assert _text(text, council.signature).startswith("Regards,\nDana Whitfield")
    assert _text(text, council.disclaimer).startswith("This email and any attachments")

    assert first.sender == "ELLERY, Tom <tom.ellery@parliament.example.uk>"
    assert first.sent == _london(2026, 3, 3, 9, 15)
    assert _text(text, first.signature) == "Many thanks,\nTom Ellery"
    # Where the extractor looks: the 9 December 2025 review date is history.
    parts = LetterParts(text, messages, message_parts(messages))
    assert parts.depth_at(text.index("9 December 2025")) == 2
    assert parts.depth_at(text.index("Yusuf (DOB")) == 0


def test_a_signature_and_the_offices_notices_are_not_the_letter():
    text = OUTLOOK_CHAIN
    top = split_messages(text)[0]
    assert _text(text, top.signature) == (
        "Kind regards\n\nTom Ellery\nSenior Caseworker\nOffice of Priya Natt MP\n"
        "Tel: 020 7946 0455")
    notice = _text(text, top.disclaimer)
    assert notice.startswith("UK Parliament Disclaimer:")
    assert notice.endswith("If your matter is urgent please telephone the office on "
                           "020 7946 0455.")
    assert "urgent" not in _text(text, top.body)
    parts = LetterParts(text, split_messages(text), message_parts(split_messages(text)))
    assert parts.kind_at(text.index("If your matter is urgent")) == "disclaimer"
    assert parts.kind_at(text.index("Senior Caseworker")) == "signature"
    assert parts.kind_at(text.index("Our ref PN/2026/118")) == "email_header"
    assert parts.kind_at(text.index("substantive reply")) == "body"


def test_a_notice_on_the_line_under_the_signature():
    text = ("Please see below.\n\nThanks,\nPriya Sandhu\nCaseworker to Daniel Marsh MP\n"
            "If your matter is urgent please telephone the office on 01632 960123.\n")
    top = split_messages(text)[0]
    assert _text(text, top.signature) == (
        "Thanks,\nPriya Sandhu\nCaseworker to Daniel Marsh MP")
    assert _text(text, top.disclaimer) == (
        "If your matter is urgent please telephone the office on 01632 960123.")


def test_gmail_replies_with_quote_marks():
    text = """\
Dear Ms Patel,

Thank you for this. I'm afraid Mrs Lowe has still heard nothing.

On Tue, 3 Mar 2026 at 10:42, Jo Bloggs <jo.bloggs@northshire.example.gov.uk> wrote:
> Dear Ms Patel,
>
> We will write to Mrs Lowe by 20 March 2026.
>
> On Mon, 2 Mar 2026 at 16:05, Anita Patel <anita.patel@parliament.example.uk> wrote:
>> Dear SEND team,
>>
>> Mrs Lowe's daughter Ella (DOB 01/02/2017) is still without a draft plan.
"""
    messages = split_messages(text)
    assert_well_formed(text, messages)
    top, council, mp = messages
    assert _text(text, top.body).endswith("still heard nothing.")
    assert council.depth == 1 and council.how == "quoted"
    assert council.sender == "Jo Bloggs <jo.bloggs@northshire.example.gov.uk>"
    assert council.sent == _london(2026, 3, 3, 10, 42)
    assert _text(text, council.body) == (
        "> Dear Ms Patel,\n>\n> We will write to Mrs Lowe by 20 March 2026.")
    assert mp.depth == 2 and mp.sent == _london(2026, 3, 2, 16, 5)
    assert _text(text, mp.header).startswith("> On Mon, 2 Mar 2026 at 16:05")
    assert "Ella (DOB 01/02/2017)" in _text(text, mp.body)


@pytest.mark.parametrize(("header", "sender", "sent"), [
    ("On 3 Mar 2026, at 10:42, Jo Bloggs <jo@example.org> wrote:",  # Apple Mail
     "Jo Bloggs <jo@example.org>", (2026, 3, 3, 10, 42)),
    ("On Tue, 3 Mar 2026, 10:42 Jo Bloggs, <jo@example.org> wrote:",  # Gmail on a phone
     "Jo Bloggs <jo@example.org>", (2026, 3, 3, 10, 42)),
    ("On Tue, Mar 3, 2026 at 10:42 AM Jo Bloggs <jo@example.org> wrote:",  # Gmail, US
     "Jo Bloggs <jo@example.org>", (2026, 3, 3, 10, 42)),
    ("On 03/03/2026 10:42, Bloggs, Jo wrote:", "Bloggs, Jo", (2026, 3, 3, 10, 42)),
])
def test_reply_header_styles(header, sender, sent):
    text = f"Yes, that is right.\n\n{header}\n\n> Is the meeting on Friday?\n"
    quoted = _quoted(split_messages(text))[0]
    assert (quoted.sender, quoted.sent) == (sender, _london(*sent))


def test_a_forwarded_message_banner():
    text = """\
FYI - see the constituent's email below.

---------- Forwarded message ---------
From: Laura Finch <laura.finch@example.net>
Date: Sat, 7 Nov 2026 at 21:06
Subject: Help with Alfie's EHCP
To: <office@marsh.example.org>


Dear Mr Marsh,

My son Alfie Finch is 9 and his EHCP review is overdue.

Best wishes,
Laura Finch
"""
    messages = split_messages(text, subject="Fwd: Help with Alfie's EHCP")
    assert_well_formed(text, messages)
    top, forwarded = messages
    assert _text(text, top.body) == "FYI - see the constituent's email below."
    assert forwarded.how == "forwarded" and forwarded.depth == 1
    assert forwarded.sender == "Laura Finch <laura.finch@example.net>"
    assert forwarded.sent == _london(2026, 11, 7, 21, 6)
    assert forwarded.subject == "Help with Alfie's EHCP"
    assert _text(text, forwarded.header).startswith("---------- Forwarded message")
    assert _text(text, forwarded.body) == (
        "Dear Mr Marsh,\n\nMy son Alfie Finch is 9 and his EHCP review is overdue.")
    assert _text(text, forwarded.signature) == "Best wishes,\nLaura Finch"


CASEWORKER_FORWARD = """\
Hi both,

Please see below from our constituent Mrs Okafor, who is happy for us to share her email \
with you. Could you look into this?

Thanks,
Priya

Priya Sandhu
Caseworker to Daniel Marsh MP
Member of Parliament for Eastbridge

-----Original Message-----
From: Grace Okafor <grace.okafor@example.com>
Sent: 09 November 2026 19:52
To: MARSH, Daniel <daniel.marsh.mp@parliament.example.uk>
Subject: Chidi's school transport

Dear Mr Marsh,

My son Chidi Okafor (born 4 February 2015) has had no school transport since 2 November. \
He attends Brook Lane School and has an EHC plan.

I have phoned the transport team every day.

Grace Okafor
14 Mill Road
Eastbridge EB4 2QT
07700 900123
"""


def test_a_caseworkers_note_above_a_constituents_forwarded_email():
    text = CASEWORKER_FORWARD
    sent = datetime(2026, 11, 10, 9, 5, tzinfo=UTC)
    messages = split_messages(text, sent=sent, subject="FW: Chidi's school transport")
    assert_well_formed(text, messages)
    note, constituent = messages
    assert note.sent == sent
    assert _text(text, note.body).endswith("Could you look into this?")
    assert _text(text, note.signature).startswith("Thanks,\nPriya\n\nPriya Sandhu")
    assert constituent.depth == 1 and constituent.how == "forwarded"
    assert constituent.sender == "Grace Okafor <grace.okafor@example.com>"
    assert constituent.sent == _london(2026, 11, 9, 19, 52)
    assert _text(text, constituent.body) == (
        "Dear Mr Marsh,\n\nMy son Chidi Okafor (born 4 February 2015) has had no school "
        "transport since 2 November. He attends Brook Lane School and has an EHC plan.\n\n"
        "I have phoned the transport team every day.")
    # Her name and address close her email: marked as its sign-off, at depth 1.
    assert _text(text, constituent.signature) == (
        "Grace Okafor\n14 Mill Road\nEastbridge EB4 2QT\n07700 900123")
    # Without the email's subject it is still her message, one level down.
    assert split_messages(text)[1].how == "quoted"


def test_an_email_saved_as_text_starts_with_its_own_header():
    text = ("From: Casework (Ruth Carmody MP)\nSent: 18 November 2026 15:02\n"
            "To: SEND Northshire\nSubject: Chasing - Harrison Cole\n\nHi,\n\n"
            "I wrote to you on 3 June about Harrison and have not had a reply.\n\n"
            "Thanks,\nPriyanka Sahota\nConstituency Caseworker\n")
    messages = split_messages(text)
    assert_well_formed(text, messages)
    assert len(messages) == 1
    top = messages[0]
    assert top.depth == 0 and top.how == "top"
    assert top.sender == "Casework (Ruth Carmody MP)"
    assert top.sent == _london(2026, 11, 18, 15, 2)
    assert top.subject == "Chasing - Harrison Cole"
    assert _text(text, top.header).endswith("Subject: Chasing - Harrison Cole")
    assert _text(text, top.body) == (
        "Hi,\n\nI wrote to you on 3 June about Harrison and have not had a reply.")


def test_a_body_that_starts_with_someone_elses_header_is_a_forward():
    text = ("From: Grace Okafor <grace.okafor@example.com>\nSent: 09 November 2026 19:52\n"
            "To: Office of Daniel Marsh MP\nSubject: Chidi\n\nDear Mr Marsh,\n\nPlease help.\n")
    sent = datetime(2026, 11, 10, 9, 5, tzinfo=UTC)
    messages = split_messages(text, sent=sent, subject="FW: Chidi")
    assert_well_formed(text, messages)
    top, forwarded = messages
    assert top.span.start == top.span.end == 0 and top.sent == sent
    assert forwarded.how == "forwarded" and forwarded.sent == _london(2026, 11, 9, 19, 52)


def test_an_original_message_banner_in_a_council_reply():
    text = ("Dear Mr Ellery,\n\nWe have now issued the plan.\n\nRegards,\nSEND Team\n\n"
            "-----Original Message-----\nFrom: ELLERY, Tom\nSent: 02 March 2026 16:05\n"
            "To: SEND Casework\nSubject: Yusuf Haddad\n\nWhen will the plan be issued?\n")
    messages = split_messages(text)
    assert_well_formed(text, messages)
    assert _text(text, messages[0].body) == "Dear Mr Ellery,\n\nWe have now issued the plan."
    assert _quoted(messages)[0].sender == "ELLERY, Tom"
    assert _quoted(messages)[0].sent == _london(2026, 3, 2, 16, 5)


def test_an_ordinary_paragraph_starting_with_on_is_not_a_quote_header():
    text = """\
Dear SEND team,

On 14 March 2026 the school wrote to Mrs Reid to say that Harvey could only attend in \
the mornings. On the advice of the school nurse she wrote:

"Harvey cannot manage a full day until his medication is reviewed."

On Monday I spoke to the headteacher, who wrote:
the plan would be reviewed at 10:30 on Friday.

Yours sincerely,

Sam Iqbal
"""
    messages = split_messages(text)
    assert_well_formed(text, messages)
    assert len(messages) == 1
    assert _text(text, messages[0].body).endswith("reviewed at 10:30 on Friday.")
    assert _text(text, messages[0].signature) == "Yours sincerely,\n\nSam Iqbal"


def test_a_letter_is_one_message_with_its_sign_off_marked():
    text = """\
Jess Adeyemi MP
House of Commons, London SW1A 0AA

12 November 2026

Dear Director of Children's Services,

My constituent Ms Kerry Hale has asked me to write about her daughter Olivia.

- the 1:1 support named in section F
- the OT sessions, which stopped in March

I would be grateful for your reply.

Yours sincerely,


Jess Adeyemi MP
Member of Parliament for Northfield
"""
    messages = split_messages(text)
    assert_well_formed(text, messages)
    assert len(messages) == 1 and messages[0].header is None and messages[0].sent is None
    assert _text(text, messages[0].body).endswith("I would be grateful for your reply.")
    assert _text(text, messages[0].signature) == (
        "Yours sincerely,\n\n\nJess Adeyemi MP\nMember of Parliament for Northfield")


def test_a_casework_form_is_not_an_email_header():
    text = """\
OFFICE OF A MEMBER MP - CASEWORK REFERRAL

To:            SEND Northshire
From:          Jade Whitaker, Caseworker
Date:          19/11/2026
Our case no.:  RB-CW-55120

Reggie has been sent home at lunchtime every day since Easter.
"""
    messages = split_messages(text)
    assert len(messages) == 1 and messages[0].header is None
    assert _text(text, messages[0].body) == text.strip()


def test_a_list_of_dashed_items_is_not_a_signature():
    text = ("Mrs Reid is asking for:\n-Speech therapy\n-An OT assessment\n\n"
            "Many thanks,\nSam Iqbal\n")
    top = split_messages(text)[0]
    assert _text(text, top.signature) == "Many thanks,\nSam Iqbal"
    assert _text(text, top.body).endswith("-An OT assessment")


def test_an_american_date_is_turned_round_when_day_first_is_impossible():
    # 03/04/2026 day first is the 3rd of April, after the reply that quotes it (10 March).
    text = ("Chasing this.\n\n-----Original Message-----\nFrom: Jo Bloggs\n"
            "Sent: 03/04/2026 10:42\nTo: SEND\nSubject: Plan\n\nWhen is the plan due?\n")
    sent = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert _quoted(split_messages(text, sent=sent))[0].sent == _london(2026, 3, 4, 10, 42)
    # Without the reply's date, day first, as the UK writes it.
    assert _quoted(split_messages(text))[0].sent == _london(2026, 4, 3, 10, 42)


def test_windows_line_endings_keep_offsets_into_the_text():
    text = CASEWORKER_FORWARD.replace("\n", "\r\n")
    messages = split_messages(text)
    assert_well_formed(text, messages)
    assert _text(text, messages[1].header).endswith("Subject: Chidi's school transport")
    assert "\r" not in _text(text, messages[1].header).splitlines()[-1]


def test_empty_and_blank_text():
    assert split_messages("") == (Message(0, "top", split_messages("")[0].span),)
    messages = split_messages("\n\n  \n")
    assert_well_formed("\n\n  \n", messages)
    assert messages[0].body is None


def test_message_parts_name_each_stretch_in_text_order():
    text = OUTLOOK_CHAIN
    parts = message_parts(split_messages(text))
    assert [p.span.start for p in parts] == sorted(p.span.start for p in parts)
    assert [(p.kind, p.depth) for p in parts] == [
        ("body", 0), ("signature", 0), ("disclaimer", 0),
        ("email_header", 1), ("body", 1), ("signature", 1), ("disclaimer", 1),
        ("email_header", 2), ("body", 2), ("signature", 2)]


def test_a_forward_of_a_forward_with_no_words_between_the_headers():
    text = ("Please see below.\n\n"
            "From: Office of Daniel Marsh MP\nSent: 10 November 2026 09:00\nTo: SEND Team\n"
            "Subject: FW: Chidi\n\n"
            "From: Grace Okafor <grace.okafor@example.com>\nSent: 09 November 2026 19:52\n"
            "To: Office of Daniel Marsh MP\nSubject: Chidi\n\nDear Mr Marsh,\n")
    messages = split_messages(text)
    assert_well_formed(text, messages)
    office, grace = _quoted(messages)
    assert office.depth == 1 and office.body is None
    assert grace.depth == 2 and grace.how == "forwarded"  # the office's subject says FW:
    assert grace.sent == _london(2026, 11, 9, 19, 52)


def test_the_emails_own_header_is_recognised_by_its_date():
    text = ("From: Casework (Ruth Carmody MP)\nSent: 18 November 2026 15:02\n"
            "To: SEND Northshire\nSubject: Harrison Cole\n\nHi,\n\nChasing my email.\n")
    sent = datetime(2026, 11, 18, 15, 2, 31, tzinfo=UTC)  # what the .eml's Date: says
    messages = split_messages(text, sent=sent, subject="Harrison Cole (our ref 207)")
    assert len(messages) == 1 and messages[0].header is not None
    assert messages[0].sent == sent and messages[0].subject == "Harrison Cole (our ref 207)"


_PIECES = [
    "From: A <a@example.org>", "Sent: 14 March 2026 10:42", "To: X", "Subject: Y", "", "> ",
    ">> x", "> On Tue, 3 Mar 2026 at 10:42, Jo <j@example.org> wrote:", "-- ", "Sent: ",
    "On 3 Mar 2026, at 10:42, Jo wrote:", "-----Original Message-----", "Kind regards",
    "---------- Forwarded message ---------", "Jo Bloggs", "Tel: 01632 960000", "__________",
    "This email is confidential and intended for the addressee only.", "text text text.",
    "\t\tOn Tue, Dec 17, 2019 at 1:44 PM Benny <b@example.org> wrote:", "From:",
    "Date: 99/99/9999 99:99", ">" * 400, "\r", "Begin forwarded message:", "-Jo",
    "Verzonden: 11 April 2016 19:11", "02.04.2012 14:20 x <", "y@example.org> написал:",
    "\u2028\x0c", "a" * 500, "On " + "x" * 500 + " wrote:", "Sent: 31/02/2026 25:61",
]


@pytest.mark.parametrize("seed", range(4))
def test_any_jumble_of_email_pieces_gives_well_formed_messages(seed):
    import random

    chooser = random.Random(seed)
    for _ in range(250):
        text = chooser.choice(["\n", "\r\n"]).join(
            chooser.choice(_PIECES) for _ in range(chooser.randint(0, 40)))
        if chooser.random() < 0.3:
            cut = chooser.randint(0, len(OUTLOOK_CHAIN))
            text = OUTLOOK_CHAIN[:cut] + text + OUTLOOK_CHAIN[cut:]
        assert_well_formed(text, split_messages(text))


def test_what_an_fw_email_quotes_was_forwarded_whatever_the_clients_style():
    text = ("Hi both, please see below from our constituent.\n\nEllie\n\n"
            "On Thu, 12 Nov 2026 at 22:48, Tomasz Nowak <t.nowak@example.com> wrote:\n"
            "> Dear Mr Lane,\n>\n> My daughter has not been in school since Easter.\n")
    forwarded = _quoted(split_messages(text, subject="FW: Zofia - not in school"))[0]
    assert forwarded.how == "forwarded"
    assert forwarded.sender == "Tomasz Nowak <t.nowak@example.com>"
    assert _quoted(split_messages(text, subject="RE: Zofia"))[0].how == "quoted"
