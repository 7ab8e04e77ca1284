"""How well email-splitting libraries, and correspond's own splitter, read the real corpus.

Two measures on ../shared/corpus (real files from other projects' test suites):
  1. where the newest message's own words end (the "reply boundary"): on talon's standard
     replies (text/plain parts) and github/email_reply_parser's plain-text fixtures, the
     top reply must keep every line upstream expects and none of the quoted history;
  2. chains: on the corpus's real reply/forward chains (.eml/.msg read with correspond's
     own reader), how many messages are found and whether each quoted message's sender
     and sent time are read.
Candidate libraries are measured when installed (pip install email-reply-parser
mail-parser-reply quotequail talon); correspond.parts.messages always is.

    python benchmarks/message_splitters.py [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import email
import email.policy
import re
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# (folder/file, lines the top reply must keep, text it must not contain)
BOUNDARY_CASES: list[tuple[str, list[str], list[str]]] = [
    ("talon/standard_replies/android.eml", ["Hello"], ["написал", "> Hi"]),
    ("talon/standard_replies/aol.eml", ["Hello"], ["Original Message", "Subject: Test"]),
    ("talon/standard_replies/apple_mail.eml", ["Hello"], ["wrote:", "> Hi"]),
    ("talon/standard_replies/apple_mail_2.eml", ["Hello"], ["wrote:", "Hi there"]),
    ("talon/standard_replies/comcast.eml", ["Hello"], ["Original Message", "Subject: Test"]),
    ("talon/standard_replies/gmail.eml", ["Hello"], ["wrote:", "> Hi"]),
    ("talon/standard_replies/hotmail.eml", ["Hello"], ["Subject: Test", "> Hi"]),
    ("talon/standard_replies/iphone.eml", ["Hello"], ["wrote:", "> Hi"]),
    ("talon/standard_replies/outlook.eml", ["Hello"], ["From: xxx", "manager's comment"]),
    ("talon/standard_replies/sparrow.eml", ["Hello"], ["On Tuesday", "> Hello"]),
    ("talon/standard_replies/thunderbird.eml", ["Hello"], ["wrote:", "> Hi"]),
    ("talon/standard_replies/yahoo.eml", ["Hello"], ["Original Message", "Subject: Test"]),
    ("talon/reply-quotations-share-block.eml", ["hearing from you soon"],
     ["wrote:", "New Booking Inquiry"]),
    ("email_reply_parser/email_1_1.txt", ["Hi folks", "Java HTTP API."], []),
    ("email_reply_parser/email_1_2.txt", ["Hi,", "You can list the keys", "would do it."],
     ["> Hi folks"]),
    ("email_reply_parser/email_1_3.txt", ["Oh thanks.", "Having the function"],
     ["Russell Brown wrote", "Hi folks"]),
    ("email_reply_parser/email_1_4.txt", ["Awesome!"], ["defunkt", "Loader"]),
    ("email_reply_parser/email_1_5.txt", ["One: Here's", "This is a paragraph"], []),
    ("email_reply_parser/email_1_6.txt", ["I get proper rendering"],
     ["Corey Donohoe", "Was this caching"]),
    ("email_reply_parser/email_1_7.txt", [":+1:"], ["Wanstrath", "Steps 0-2"]),
    ("email_reply_parser/email_1_8.txt", ["I will reply under this one", "and under this."],
     ["hi there", "okay.  Well"]),
    ("email_reply_parser/email_2_1.txt", ["Outlook with a reply"], ["Google Apps Sync user"]),
    ("email_reply_parser/email_2_2.txt", ["Outlook with a reply directly above line"],
     ["CRM Comments", "A new comment"]),
    ("email_reply_parser/email_2_3.txt", ["Outlook with a reply directly above line"],
     ["CRM Comments", "A new comment"]),
    ("email_reply_parser/email_bullets.txt", ["test 2", "- and another"],
     ["Give us an example"]),
    ("email_reply_parser/email_one_is_not_on.txt", ["One outstanding question", "Locally"],
     ["Dave Tapley", "The good news"]),
    ("email_reply_parser/greedy_on.txt", ["On your remote host", "tunnel is not working"],
     ["George Plymale", "odd issue"]),
    ("email_reply_parser/pathological.txt", ["I think you're onto something"],
     ["John Sullivan", "shortening the reference"]),
    ("email_reply_parser/email_sig_delimiter_in_middle_of_line.txt", ["kthxbai"], []),
    ("email_reply_parser/email_sent_from_my_not_signature.txt",
     ["Sent from my desk, is much easier"], []),
]

# (corpus file, [(sender contains, sent) for each message below the top], top text starts)
CHAIN_CASES: list[tuple[str, list[tuple[str, datetime | None]], str]] = [
    ("eml/mikel_attachment_with_base64_encoded_name.eml",
     [("xxxxxxxx@xxx.com", datetime(2005, 5, 8, 13, 17))], "We should not include"),
    ("msg/poi_chinese-traditional.msg",
     [("Jane Chen", datetime(2011, 3, 25, 17, 46))], "Alfresco MSG"),
    ("msg/omp_simple_reply_with_CC.msg",
     [("David Johnston", datetime(2019, 12, 18, 10, 34)),
      ("Benny Bottema", datetime(2019, 12, 17, 13, 44)),
      ("David Johnston", datetime(2019, 12, 17, 13, 36)),
      ("David Johnston", datetime(2019, 12, 17, 10, 46)),
      ("Benny Bottema", datetime(2019, 12, 16, 15, 39)),
      ("David Johnston", datetime(2019, 12, 16, 14, 21))], "This is a dummy CC"),
    # Headers in French and Italian: the split and the sender count; dates need English.
    ("msg/msgreader_sender_not_found_from_exchange.msg",
     [("Cathy GRIMONET", None)], "Cordialement"),
    ("eml/spamscope_mail_test_7_forward_pdf.eml",
     [("export@agade.info", None), ("export@agade.info", None), ("Anna Milone", None)],
     "Ciao sere"),
]


def reply_text_of(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".txt":
        return data.decode("utf-8")
    message = email.message_from_bytes(data, policy=email.policy.default)
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def document_of(path: Path):
    from correspond.ingest import read_document
    return read_document(path.read_bytes(), path.name)


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Each splitter: text -> (top reply text, [(sender, sent) of the messages below], or None
# where the library does not read the history's headers)
Splitter = Callable[[str], tuple[str, list[tuple[str | None, object]] | None]]


def _ours() -> Splitter:
    from correspond.parts.messages import split_messages

    def run(text: str):
        messages = split_messages(text)
        top = messages[0]
        own = [m for m in messages if m.depth == 0]
        words = "\n".join(text[m.span.start:m.span.end] if m.body is None else
                          m.body.text_of(text) for m in own)
        below = [(m.sender, m.sent) for m in messages if m.depth > 0 and m.header]
        return (words if top else ""), below
    return run


def _zapier() -> Splitter:
    from email_reply_parser import EmailReplyParser

    def run(text: str):
        return EmailReplyParser.parse_reply(text), None
    return run


def _mail_parser_reply() -> Splitter:
    from mailparser_reply import EmailReplyParser

    def run(text: str):
        message = EmailReplyParser(languages=["en", "de", "fr", "it", "nl"]).read(text)
        replies = message.replies
        below = [(r.headers, None) for r in replies[1:]]
        return (replies[0].body if replies else ""), below
    return run


def _quotequail() -> Splitter:
    import quotequail

    def run(text: str):
        found = quotequail.unwrap(text)
        if not found:
            return text, []
        return found.get("text_top", ""), [(found.get("from"), found.get("date"))]
    return run


def _talon() -> Splitter:
    from talon import quotations

    def run(text: str):
        return quotations.extract_from_plain(text), None
    return run


CANDIDATES: dict[str, Callable[[], Splitter]] = {
    "correspond.parts.messages": _ours,
    "email-reply-parser (zapier)": _zapier,
    "mail-parser-reply": _mail_parser_reply,
    "quotequail": _quotequail,
    "talon (quotations)": _talon,
}


def measure(name: str, splitter: Splitter, corpus: Path) -> None:
    replies = corpus / "replies"
    passed, failures, slowest = 0, [], 0.0
    for file, keep, drop in BOUNDARY_CASES:
        text = reply_text_of(replies / file)
        started = time.perf_counter()
        top, _ = splitter(text)
        slowest = max(slowest, time.perf_counter() - started)
        top = _collapse(top or "")
        if all(_collapse(k) in top for k in keep) and not any(d in top for d in drop):
            passed += 1
        else:
            failures.append(Path(file).name)
    print(f"\n{name}\n  reply boundary: {passed}/{len(BOUNDARY_CASES)} "
          f"(slowest {slowest * 1000:.1f} ms)")
    if failures:
        print("    wrong on: " + ", ".join(failures))

    exact = found = expected = senders = dates = 0
    for file, chain, starts in CHAIN_CASES:
        text = document_of(corpus / file).text
        top, below = splitter(text)
        expected += len(chain)
        if below is None:
            continue
        exact += len(below) == len(chain) and _collapse(top).startswith(starts)
        found += min(len(below), len(chain))
        for (want_sender, want_sent), (sender, sent) in zip(chain, below):
            senders += bool(sender) and want_sender in str(sender)
            if want_sent is not None:
                dates += isinstance(sent, datetime) and sent.replace(tzinfo=None) == want_sent
    wanted_dates = sum(1 for _, chain, _ in CHAIN_CASES for _, d in chain if d)
    print(f"  chains: split exactly {exact}/{len(CHAIN_CASES)}, messages found "
          f"{found}/{expected}, senders read {senders}/{expected}, "
          f"sent times parsed {dates}/{wanted_dates}")


def time_a_500_word_email() -> None:
    """How long split_messages takes on a 500-word, three-message Outlook chain."""
    from correspond.parts.messages import split_messages

    paragraph = ("Her plan names a specialist placement but the transport team say the "
                 "route is not agreed and she has missed nine days of school this term. ")
    def message(sender: str, sent: str, words: int) -> str:
        body = (paragraph * (words // 27 + 1)).split()[:words]
        return (f"From: {sender}\nSent: {sent}\nTo: SEND Team\nSubject: RE: transport\n\n"
                f"Dear colleagues,\n\n{' '.join(body)}\n\nKind regards\n\n{sender}\n"
                "Caseworker\nTel: 01632 960000\n\nThis email is confidential and intended "
                "for the addressee only. If you have received it in error please notify the "
                "sender.\n\n")
    text = (message("Office of A Member MP", "14 March 2026 10:42", 200)
            + message("SEND Casework", "Tuesday, March 3, 2026 9:15 AM", 150)
            + message("Office of A Member MP", "Mon, 2 Mar 2026 16:05", 100))
    runs = 200
    started = time.perf_counter()
    for _ in range(runs):
        split_messages(text)
    each = (time.perf_counter() - started) / runs
    print(f"\nsplit_messages on a {len(text.split())}-word three-message chain: "
          f"{each * 1000:.2f} ms each (mean of {runs})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    args = parser.parse_args()
    for name, make in CANDIDATES.items():
        try:
            splitter = make()
        except ImportError as err:
            print(f"\n{name}: not installed ({err})")
            continue
        measure(name, splitter, args.corpus)
    time_a_500_word_email()


if __name__ == "__main__":
    main()
