"""The one world the authorisation matrix runs against, built through the apps' own domain
functions (as their tests do), once per module.

Organisation A (沛县 320322: routed to 沛县's authority, copied to 徐州市) owns, in the open
call "mx-live", a draft, a submitted and a recommended application; in the finished call
"mx-done" (2020) a selected one whose notice is final, with a case, a tracked project and a
progress report. Organisation B (苏州) is another applicant. Organisation C (南京) owns a
selected project whose case is published.
"""

import dataclasses
import datetime as dt
from decimal import Decimal

from axes.models import AccessAttempt
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.api import tokens
from keyprojects.api.models import Scope
from keyprojects.applications import domain as applications
from keyprojects.applications import workflow
from keyprojects.applications.models import AttachmentKind
from keyprojects.calls.models import CallMaterial
from keyprojects.cases import domain as cases
from keyprojects.core.clock import now
from keyprojects.documents.models import ListExport
from keyprojects.experts.imports import POOL
from keyprojects.imports.domain import stage_rows
from keyprojects.notices import decisions, objections, publication
from keyprojects.notices.public_views import _RECEIPT_SALT
from keyprojects.orgs import domain as orgs
from keyprojects.orgs.imports import ORGANISATIONS
from keyprojects.orgs.models import Authority
from keyprojects.orgs.reference import load_authorities, load_departments, load_regions
from keyprojects.review import domain as review
from keyprojects.review.imports import REVIEWERS
from keyprojects.scoring import defence
from keyprojects.scoring import domain as scoring
from keyprojects.scoring.models import ReviewRound
from keyprojects.selection.models import SimilarPair
from keyprojects.tracking import domain as tracking
from keyprojects.tracking import imports
from keyprojects.tracking import workflow as tracking_workflow

from .. import factories
from ..cases.conftest import publish as publish_case
from ..cases.images import png
from ..experts.conftest import make_expert
from ..notices.conftest import notice_values
from ..review.test_visibility import scanned
from ..scoring.helpers import assign, full_marks, score
from ..tracking.conftest import FILLED, open_round, row, xlsx_upload


@dataclasses.dataclass
class World:
    users: dict  # role → User (every role but anonymous)
    devices: dict  # role → confirmed TOTPDevice, for roles that must use a second factor
    live: object  # the open call
    done: object  # the finished call (2020), its list final
    draft: object
    submitted: object
    recommended: object
    selected: object  # A's, in the finished call
    material: CallMaterial
    batch: object
    table: object
    scan: object
    pair: SimilarPair
    online: ReviewRound
    defence_round: ReviewRound
    combined: ReviewRound
    score: object
    panel: object
    slot: object
    notice: object
    objection: object
    receipt_token: str
    case: object  # draft, about A's selected project
    figure: object
    image: object
    published_case: object  # about C's selected project
    published_image: object
    round: object  # tracking round
    report: object  # A's report, submitted (so 沛县 reads it)
    report_attachment: object
    import_batch: object
    staged: dict  # app → a batch of its importer awaiting the office's confirmation
    token: object  # API token
    lockout: AccessAttempt
    invitation_token: str
    expert: object  # the assigned Expert
    experts: dict = dataclasses.field(default_factory=dict)
    media: object = None  # the module's media folder (set by the fixture)
    list_export: object = None  # a background export of the audit trail, the office's

    def approval(self, application):
        return application.attachments.get(kind=AttachmentKind.APPROVAL).pk


def _authority(name):
    return Authority.objects.get(name=name)


def _people():
    office = factories.make_office(username="mx_office", is_staff=True)
    org_a = factories.make_organisation(seat="320322", name="沛县甲单位")
    org_b = factories.make_organisation(seat="320505", name="苏州乙单位")
    users = {
        "owner": factories.make_user(org_a, username="mx_owner"),
        "applicant_b": factories.make_user(org_b, username="mx_applicant_b"),
        "reviewer_routed": factories.make_user(
            None, username="mx_peixian", authority=_authority("徐州市沛县信息化主管部门")
        ),
        "reviewer_copied": factories.make_user(
            None, username="mx_xuzhou", authority=_authority("徐州市信息化主管部门")
        ),
        "reviewer_foreign": factories.make_user(
            None, username="mx_nanjing", authority=_authority("南京市信息化主管部门")
        ),
        "department": factories.make_user(
            None, username="mx_transport", authority=_authority("省交通运输厅")
        ),
        "office": office,
        "admin": factories.make_user(None, username="mx_admin", is_staff=True, is_superuser=True),
    }
    experts = {
        "expert_assigned": make_expert(city="320300"),
        "expert_unassigned": make_expert(city="320200"),
        "expert_unverified": make_expert(city="320100"),
    }
    users.update({role: expert.user for role, expert in experts.items()})
    return users, experts


def _live_applications(live, owner, routed):
    draft = factories.make_application(live, owner, name="沛县草稿项目")
    submitted = applications.submit(
        factories.make_application(live, owner, name="沛县已提交项目"), by=owner
    )
    recommended = applications.submit(
        factories.make_application(live, owner, name="沛县已推荐项目"), by=owner
    )
    recommended = review.decide(recommended, "recommend", by=routed, reason="同意推荐")
    for application in (draft, submitted, recommended):
        application.refresh_from_db()
    return draft, submitted, recommended


def _selected(done, office, owner, routed):
    """A's selected project, and C's (南京), through the real workflow."""
    tier = decisions.create_default_tiers(done, by=office)[1]
    owner_c = factories.make_user(factories.make_organisation(seat="320102"))
    reviewer_c = factories.make_user(None, authority=_authority("南京市信息化主管部门"))
    made = []
    for user, reviewer, name in [
        (owner, routed, "沛县入选项目"),
        (owner_c, reviewer_c, "南京入选项目"),
    ]:
        application = applications.submit(
            factories.make_application(done, user, name=name, total_investment=Decimal("1200")),
            by=user,
        )
        application = review.decide(application, "recommend", by=reviewer)
        application = workflow.perform(application, "pass_check", by=office)
        made.append(decisions.select(application, tier, by=office))
    return made[0], made[1], owner_c


def _final_notice(done, office, selected):
    notice = publication.publish(
        publication.save_notice(done, notice_values(done), by=office), by=office
    )
    objection = objections.file_objection(
        notice,
        application=selected,
        reasons="与往年项目重复。",
        name="张三",
        phone="13900000000",
        evidence=SimpleUploadedFile("证明.pdf", factories.pdf_bytes()),
    )
    objection = objections.answer(objection, "not_upheld", "经核实不重复。", by=office)
    notice = publication.finalise(notice, by=office, at=notice.closes_at + dt.timedelta(minutes=1))
    token = signing.dumps({"n": str(notice.pk), "r": objection.receipt}, salt=_RECEIPT_SALT)
    return notice, objection, token


def _scoring(live, office, recommended, expert):
    assign(expert, recommended, office)
    online = scoring.create_round(
        live,
        kind=ReviewRound.Kind.ONLINE,
        order=1,
        deadline=now() + dt.timedelta(days=3),
        by=office,
    )
    online = scoring.change_round(online, "open", by=office)
    submitted_score = score(online, recommended, expert, full_marks(online.rubric, "0.8"))
    defence_round = scoring.create_round(live, kind="defence", order=2, by=office)
    defence.set_shortlist(defence_round, [recommended.pk], by=office)
    panel = defence.create_panel(
        defence_round,
        category=recommended.category,
        name="第一评审组",
        place="苏兴大厦902室",
        date=dt.date(2021, 9, 8),
        experts=[expert],
        by=office,
    )
    slot = defence.add_slot(panel, recommended, start=dt.time(9), end=dt.time(9, 30), by=office)
    combined = scoring.create_round(live, kind="combined", order=3, by=office)
    return online, defence_round, combined, submitted_score, panel, slot


def _cases(selected, selected_c, office, owner_c):
    case = cases.create_case(selected, by=office)
    figure = cases.add_figure(case, label="服务人次", value=1, unit="万", by=office)
    image = cases.add_image(case, png(), caption="指挥中心", by=office)
    other = cases.create_case(selected_c, by=office)
    published_image = cases.add_image(other, png(), caption="大屏", by=office)
    checker = factories.make_office(username="mx_office2")
    published = publish_case(other, office=office, checker=checker, owner=owner_c)
    return case, figure, image, published, published_image


def _tracking(done, office, owner):
    tracking.track_selected(done, by=office)
    round_ = open_round(office)
    report = round_.reports.get(project__organisation=owner.organisation)
    attachment = tracking.add_attachment(report, factories.pdf_upload(), by=owner)
    report = tracking_workflow.submit(report, FILLED, by=owner, expected_version=report.version)
    batch = imports.preview(xlsx_upload([row("往年项目甲", factories.credit_code())]), by=office)
    return round_, report, attachment, batch


def _staged(office):
    """A batch for each importer but tracking's (import_batch): one row, with errors, so
    that a confirmation imports nothing."""
    importers = {"review": REVIEWERS, "experts": POOL, "orgs": ORGANISATIONS}
    return {
        app: stage_rows(
            importer,
            [{"number": 2, "values": {c.name: "" for c in importer.columns}}],
            by=office,
            file_name=f"{app}.xlsx",
        )
        for app, importer in importers.items()
    }


def _list_export(office):
    """A finished background export (documents/exports.py), downloadable by the office."""
    return ListExport.objects.create(
        listing="audit",
        title="审计日志",
        requested_by=office,
        rows=1,
        done=1,
        state=ListExport.State.READY,
        file=ContentFile(b"PK export", name="export.xlsx"),
        finished_at=now(),
        expires_at=now() + dt.timedelta(days=7),
    )


def build_world() -> World:
    load_regions()
    load_departments()
    load_authorities()
    users, experts = _people()
    office, owner, routed = users["office"], users["owner"], users["reviewer_routed"]
    live = factories.make_call(slug="mx-live", year=2021, title="2021年智慧江苏重点工程")
    done = factories.make_call(slug="mx-done", year=2020)
    material = CallMaterial.objects.create(
        call=live, title="填报模板", file=ContentFile(b"template", name="t.docx"), filename="t.docx"
    )
    draft, submitted, recommended = _live_applications(live, owner, routed)
    batch = review.batch_for(live, routed.authority)
    table = review.start_table(batch, by=routed)
    table.refresh_from_db()
    scan = review.accept_scan(
        batch, SimpleUploadedFile("scan.jpg", scanned(table.pdf.read())), by=routed
    )
    pair = SimilarPair.objects.create(
        call=live,
        application=recommended,
        other_application=submitted,
        estimated_jaccard=0.7,
        jaccard=0.72,
        name_jaccard=0.5,
        passages=["二次供水泵房远程监控"],
        found_at=recommended.submitted_at,
    )
    rounds = _scoring(live, office, recommended, experts["expert_assigned"])
    selected, selected_c, owner_c = _selected(done, office, owner, routed)
    notice, objection, receipt_token = _final_notice(done, office, selected)
    case, figure, image, published_case, published_image = _cases(
        selected, selected_c, office, owner_c
    )
    tracking_round, report, report_attachment, import_batch = _tracking(done, office, owner)
    token, _secret = tokens.issue(
        name="统计系统",
        authority=None,
        scopes=[Scope.PROJECTS_READ],
        expires_at=now() + dt.timedelta(days=30),
        by=office,
    )
    lockout = AccessAttempt.objects.create(
        username="locked_user",
        ip_address="10.0.0.9",
        user_agent="pytest",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=10,
    )
    invitation = orgs.invite(owner.organisation, "colleague@example.com", by=owner)
    invitation_token = signing.dumps(str(invitation.pk), salt=orgs.INVITATION_SALT)
    devices = {
        role: TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        for role, user in users.items()
        if role not in {"owner", "applicant_b"}
    }
    return World(
        users=users,
        devices=devices,
        live=live,
        done=done,
        draft=draft,
        submitted=submitted,
        recommended=recommended,
        selected=selected,
        material=material,
        batch=batch,
        table=table,
        scan=scan,
        pair=pair,
        online=rounds[0],
        defence_round=rounds[1],
        combined=rounds[2],
        score=rounds[3],
        panel=rounds[4],
        slot=rounds[5],
        notice=notice,
        objection=objection,
        receipt_token=receipt_token,
        case=case,
        figure=figure,
        image=image,
        published_case=published_case,
        published_image=published_image,
        round=tracking_round,
        report=report,
        report_attachment=report_attachment,
        import_batch=import_batch,
        staged=_staged(office),
        token=token,
        lockout=lockout,
        invitation_token=invitation_token,
        expert=experts["expert_assigned"],
        experts=experts,
        list_export=_list_export(office),
    )
