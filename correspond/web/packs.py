"""Preparing for a meeting with an MP's office, and auditing the council against the
protocol: the pack (Word, from the council's template, and Excel) and the audit (Word,
CSV and Excel, with a random sample drawn and recorded for a reviewer)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from correspond.draft.pack import PACK_TEMPLATE
from correspond.errors import TemplateProblem
from correspond.liaison.audit import (
    MAX_SAMPLE,
    audit_csv,
    audit_docx,
    draw_sample,
    protocol_audit,
)
from correspond.liaison.pack import NoSuchMember, member_pack, pack_docx, pack_xlsx
from correspond.liaison.periods import PRESETS, Period, PeriodProblem, period_from
from correspond.store import audit, registers, reporting
from correspond.web.auth import requires
from correspond.web.reports import chosen_period, csv_response, today, xlsx_response

blueprint = Blueprint("packs", __name__, url_prefix="/reports")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _db():
    return current_app.extensions["correspond.db"]


def _settings():
    return current_app.extensions["correspond.settings"]


@blueprint.get("/pack")
@requires("reports")
def pack_page() -> Any:
    period = chosen_period("last_quarter")
    with _db().reading() as connection:
        members = registers.members_with_referrals(_db(), connection)
    chosen = request.args.get("member", "")
    pack = None
    if chosen.isdigit() and len(chosen) < 12:
        pack = _pack(int(chosen), period)
    return render_template("pack.html", members=members, chosen=chosen, period=period,
                           presets=PRESETS, pack=pack)


def _pack(member_id: int, period: Period):
    settings = _settings()
    try:
        return member_pack(_db(), member_id, period, today=today(),
                           protocol=settings.joint_protocol, region=settings.bank_holidays,
                           name_children=settings.pack_child_names)
    except NoSuchMember:
        abort(404)


@blueprint.get("/pack/<int:member_id>.docx")
@requires("reports")
def pack_word(member_id: int) -> Any:
    settings = _settings()
    pack = _pack(member_id, chosen_period("last_quarter"))
    with tempfile.TemporaryDirectory() as folder:
        destination = Path(folder) / "pack.docx"
        try:
            pack_docx(pack, settings.templates_dir / PACK_TEMPLATE, destination,
                      council_name=settings.council_name, service_name=settings.service_name)
        except TemplateProblem as problem:
            flash(f"{problem.reason} Ask an administrator to check the templates.", "error")
            return redirect(url_for("packs.pack_page", member=member_id,
                                    **pack.period.as_args()))
        data = destination.read_bytes()
    _record(f"MP pack (Word) for member {member_id}: {pack.period.label}")
    return Response(data, mimetype=DOCX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{_pack_name(pack)}.docx"'})


@blueprint.get("/pack/<int:member_id>.xlsx")
@requires("reports")
def pack_excel(member_id: int) -> Any:
    pack = _pack(member_id, chosen_period("last_quarter"))
    _record(f"MP pack (Excel) for member {member_id}: {pack.period.label}")
    return xlsx_response(pack_xlsx(pack), f"{_pack_name(pack)}.xlsx")


def _pack_name(pack) -> str:
    area = "".join(ch if ch.isalnum() else "-" for ch in (pack.member.area or "member"))
    return f"pack-{area.strip('-').lower()}-{pack.period.start.isoformat()}"


@blueprint.get("/audit")
@requires("reports")
def audit_page() -> Any:
    period = chosen_period("last_quarter")
    sample = _sample(period)
    settings = _settings()
    found = protocol_audit(_db(), period, today=today(), protocol=settings.joint_protocol,
                           region=settings.bank_holidays, sample=sample)
    download_args = {**period.as_args(), **({"sample": str(sample.id)} if sample else {})}
    return render_template("protocol_audit.html", audit=found, period=period,
                           presets=PRESETS, samples=reporting.samples(_db()),
                           max_sample=MAX_SAMPLE, download_args=download_args)


def _sample(period: Period) -> reporting.AuditSample | None:
    """The sample the address names; it must be one drawn for this period."""
    chosen = request.args.get("sample", "")
    if not (chosen.isdigit() and len(chosen) < 12):
        return None
    found = reporting.sample(_db(), int(chosen))
    if found is None or (found.period_start, found.period_end) != (period.start, period.end):
        abort(404)
    return found


@blueprint.post("/audit/sample")
@requires("reports")
def draw() -> Any:
    try:
        period = period_from(request.form.to_dict(), today())
    except PeriodProblem as problem:
        flash(problem.reason, "error")
        return redirect(url_for("packs.audit_page"))
    size_text = request.form.get("size", "").strip()
    seed_text = request.form.get("seed", "").strip()
    if not size_text.isdigit() or not 1 <= int(size_text) <= MAX_SAMPLE:
        flash(f"Give the sample's size as a number from 1 to {MAX_SAMPLE}.", "error")
        return redirect(url_for("packs.audit_page", **period.as_args()))
    if seed_text and not (seed_text.isdigit() and len(seed_text) <= 15):
        flash("The seed is a whole number (leave it empty for a new one).", "error")
        return redirect(url_for("packs.audit_page", **period.as_args()))
    sample = draw_sample(_db(), period, size=int(size_text), drawn_by=current_user.name,
                         seed=int(seed_text) if seed_text else None, today=today())
    _record(f"audit sample {sample.id} drawn: {sample.size} of {sample.population}, "
            f"seed {sample.seed}")
    flash(f"Sample {sample.id} drawn: {sample.size} referrals, seed {sample.seed}.", "success")
    return redirect(url_for("packs.audit_page", sample=sample.id, **period.as_args()))


@blueprint.get("/audit.<kind>")
@requires("reports")
def audit_download(kind: str) -> Any:
    if kind not in ("docx", "csv"):
        abort(404)
    period = chosen_period("last_quarter")
    settings = _settings()
    found = protocol_audit(_db(), period, today=today(), protocol=settings.joint_protocol,
                           region=settings.bank_holidays, sample=_sample(period))
    name = f"protocol-audit-{period.start.isoformat()}-to-{period.end.isoformat()}"
    _record(f"protocol audit ({kind}): {period.label}")
    if kind == "csv":
        return csv_response(audit_csv(found), f"{name}.csv")
    with tempfile.TemporaryDirectory() as folder:
        destination = Path(folder) / "audit.docx"
        audit_docx(found, destination, council_name=settings.council_name)
        data = destination.read_bytes()
    return Response(data, mimetype=DOCX_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}.docx"'})


def _record(detail: str) -> None:
    audit.record_alone(_db(), user=current_user.name, action="exported", detail=detail)
