"""Column specs of villages and organisations, and how the import engine writes villages."""

import polars as pl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _

from bangfu.core.bulk import insert_columns
from bangfu.core.columns import Column, Entity
from bangfu.core.importing import (
    Context,
    Plan,
    ServicePlan,
    common_path,
    raw,
    refuse_if_changed,
    restore_updates,
    update_changed,
)
from bangfu.core.services import invalid, resolve_in_scope
from bangfu.regions import services
from bangfu.regions.models import Level, Organisation, OrganisationKind, Region, Side

VILLAGES = Entity(
    name="villages",
    model=Region,
    columns=(
        Column("村代码", "code", "code", required=True, aliases=("行政村代码", "村编码", "村级代码"),
               note="12位统计用区划代码，前9位为所属乡镇代码的前9位"),
        Column("村名称", "name", required=True, aliases=("行政村名称", "村名")),
        Column("乡镇代码", "parent_id", "code", required=True, aliases=("乡镇编码", "乡镇（街道）代码"),
               note="12位代码，前6位为县代码"),
        Column("乡镇名称", "parent__name", aliases=("乡镇（街道）名称", "乡镇"), note="新乡镇须填写"),
        Column("县代码", "county_code", "code", writable=False),
        Column("贫困村", "is_poor_village", "bool", aliases=("是否贫困村", "脱贫村"), note="是/否，空白为否"),
        Column("在用", "active", "bool", note="是/否，空白为是"),
    ),
    region_path="path",
    filter=Q(level=Level.VILLAGE),
    order_by=("code",),
)

ORGANISATIONS = Entity(
    name="organisations",
    model=Organisation,
    columns=(
        Column("单位编号", "id", "int", note="新单位留空；已有单位按编号更新"),
        Column("单位名称", "name", required=True, aliases=("名称", "单位全称")),
        Column("单位类型", "kind", "choice", OrganisationKind, required=True),
        Column("帮扶方/受援方", "side", "choice", Side, required=True, aliases=("帮扶方或受援方", "方向")),
        Column("所在地区代码", "region_id", "code", required=True, aliases=("所在地代码", "地区代码")),
        Column("所在地区", "region__name", writable=False),
        Column("上级单位编号", "parent_id", "int"),
        Column("上级单位", "parent__name", writable=False),
        Column("统一社会信用代码", "credit_code", "code", aliases=("信用代码", "社会信用代码"),
               note="企业、社会组织必填"),
        Column("代表本地区", "represents_region", "bool", note="是：该单位代表所在地区（如区人民政府）"),
        Column("备注", "notes"),
    ),
    region_path="region__path",
    order_by=("region_id", "name", "id"),
)

ENTITIES = {"villages": VILLAGES, "organisations": ORGANISATIONS}


class VillagePlan(Plan):
    """Townships and villages with their 12-digit codes, one row per village; a township is created from its first
    row. A village already there is matched by its code: a re-import updates its name and flags."""

    entity = VILLAGES
    permission = "region.change"

    def check(self, frame: pl.DataFrame, ctx: Context) -> list[pl.DataFrame]:
        out = []
        code, township = pl.col("code"), pl.col("parent_id")
        twelve = _("A township or village code has 12 digits.")
        out.append(ctx.problems(frame.filter(~code.str.contains(r"^\d{12}$")), "code", twelve))
        out.append(ctx.problems(frame.filter(~township.str.contains(r"^\d{12}$")), "parent_id", twelve))
        out.append(ctx.problems(frame.filter(code.str.slice(0, 9) != township.str.slice(0, 9)), "code",
                                _("A village's code begins with the first 9 digits of its township's code.")))
        out.append(ctx.problems(frame.filter(code.is_duplicated()), "code", _("This code is in the file twice.")))
        out.append(ctx.problems(frame.filter(raw("parent__name").n_unique().over("parent_id") > 1),
                                "parent__name", _("The rows of this township give it different names.")))
        stored = _regions(frame["code"].to_list() + frame["parent_id"].to_list()
                          + frame["parent_id"].str.slice(0, 6).to_list())
        counties = {c: p for c, (level, p, _parent) in stored.items() if level == Level.COUNTY}
        county = township.str.slice(0, 6)
        out.append(ctx.problems(frame.filter(~county.is_in(list(counties))), "parent_id",
                                _("The first 6 digits of this code are no county of the national table.")))
        if ctx.scope is not None:
            outside = [c for c, path in counties.items() if not ctx.scope.covers_region_path(path)]
            out.append(ctx.problems(frame.filter(county.is_in(outside)), "parent_id",
                                    _("This county is outside your scope.")))
        levels = {c: level for c, (level, _p, _parent) in stored.items()}
        out.append(ctx.problems(frame.filter(township.is_in([c for c, lv in levels.items() if lv != Level.TOWNSHIP])),
                                "parent_id", _("This code is that of a division other than a township.")))
        out.append(ctx.problems(frame.filter(code.is_in([c for c, lv in levels.items() if lv != Level.VILLAGE])),
                                "code", _("This code is that of a division other than a village.")))
        moved = [c for c, (level, _p, parent) in stored.items() if level == Level.VILLAGE]
        parents = {c: stored[c][2] for c in moved}
        elsewhere = frame.filter(code.is_in(moved)).filter(
            code.replace_strict(parents, default=None, return_dtype=pl.String) != township)
        out.append(ctx.problems(elsewhere, "parent_id", _("This village is registered under another township.")))
        new_townships = frame.filter(~township.is_in(list(levels)), pl.col("parent__name").is_null())
        out.append(ctx.problems(new_townships, "parent__name", _("A new township needs its name.")))
        return out

    def write(self, frame: pl.DataFrame, ctx: Context) -> dict[str, int]:
        stored = _regions(frame["code"].to_list() + frame["parent_id"].to_list()
                          + frame["parent_id"].str.slice(0, 6).to_list())
        paths = {code: path for code, (_level, path, _parent) in stored.items()}
        townships = frame.filter(~pl.col("parent_id").is_in(list(paths))).unique("parent_id", keep="first")
        created_townships = self._insert(townships["parent_id"].to_list(), townships["parent__name"].to_list(),
                                         [c[:6] for c in townships["parent_id"]], Level.TOWNSHIP, paths,
                                         [False] * townships.height, [True] * townships.height, ctx)
        villages = frame.filter(~pl.col("code").is_in(list(stored)))
        created = self._insert(villages["code"].to_list(), villages["name"].to_list(), villages["parent_id"].to_list(),
                               Level.VILLAGE, paths, villages["is_poor_village"].fill_null(False).to_list(),
                               villages["active"].fill_null(True).to_list(), ctx)
        known = frame.filter(pl.col("code").is_in(list(stored))).with_columns(
            pk=pl.col("code"), is_poor_village=pl.col("is_poor_village").fill_null(False),
            active=pl.col("active").fill_null(True))
        updated = update_changed(Region, known, {"name": "name", "is_poor_village": "is_poor_village",
                                                 "active": "active"}, ctx)
        ctx.batch.region_path = common_path(list(paths.values()))
        ctx.batch.save(update_fields=["region_path"])
        counts = {"townships created": created_townships, "villages created": created, "villages updated": updated}
        return {k: v for k, v in counts.items() if v}

    def _insert(self, codes, names, parents, level, paths, poor, active, ctx) -> int:
        if not codes:
            return 0
        county = Region.objects.filter(code__in={p[:6] for p in parents}).values_list("code", "province_code")
        provinces = dict(county)
        rows = {"code": codes, "name": names, "level": [level] * len(codes), "parent_id": parents,
                "path": [f"{paths[p]}{c}/" for c, p in zip(codes, parents, strict=True)],
                "province_code": [provinces[p[:6]] for p in parents], "county_code": [p[:6] for p in parents],
                "is_poor_village": poor, "active": active, "synthetic": [False] * len(codes),
                "import_batch_id": [ctx.batch.pk] * len(codes)}
        insert_columns(Region, rows)
        paths.update(zip(codes, rows["path"], strict=True))
        return len(codes)

    def undo(self, batch) -> dict[str, int]:
        regions = Region.objects.filter(import_batch=batch)
        refuse_if_changed(batch, [(Region, regions)])
        restored = restore_updates(batch)
        try:
            with transaction.atomic():
                villages = regions.filter(level=Level.VILLAGE).delete()[0]
                townships = regions.filter(level=Level.TOWNSHIP).delete()[0]
        except ProtectedError:
            raise ValidationError(_("Records (households, organisations, pairings or villages) now lie in regions of "
                                    "this batch; it cannot be undone.")) from None
        return {k: v for k, v in {"villages removed": villages, "townships removed": townships, **restored}.items()
                if v}


def _regions(codes) -> dict[str, tuple[str, str, str | None]]:
    """code → (level, path, parent code) of the codes the national table and the registry hold."""
    codes = sorted({c for c in codes if c})
    return {code: (level, path, parent) for code, level, path, parent in
            Region.objects.filter(code__in=codes).values_list("code", "level", "path", "parent_id")}


class OrganisationPlan(ServicePlan):
    """Each row through `save_organisation` (it keeps the tree's paths and the caller's scope); matched by 单位编号."""

    entity = ORGANISATIONS
    permission = "organisation.change"

    def apply(self, values: dict, ctx: Context):
        parent = None
        if values["parent_id"] is not None:
            parent = resolve_in_scope(ctx.user, Organisation, "parent", _(
                "Unknown organisation number %(n)s (or outside your scope).") % {"n": values["parent_id"]},
                pk=values["parent_id"])
        if not Region.objects.filter(pk=values["region_id"]).exists():
            invalid("region", _("Unknown region code %(code)s (or outside your scope).") % {
                "code": values["region_id"]})
        fields = {"name": values["name"], "kind": values["kind"], "side": values["side"],
                  "region_id": values["region_id"], "parent": parent, "credit_code": values["credit_code"] or None,
                  "represents_region": bool(values["represents_region"]), "notes": values["notes"] or ""}
        if values["id"] is None:
            return services.save_organisation(ctx.user, Organisation(**fields)), "created"
        org = resolve_in_scope(ctx.user, Organisation, "id",
                               _("Unknown organisation number %(n)s (or outside your scope).") % {"n": values["id"]},
                               action="change", pk=values["id"])
        changes = {k: v for k, v in fields.items() if getattr(org, k) != v}
        if not changes:
            return org, None
        for key, value in changes.items():
            setattr(org, key, value)
        return services.save_organisation(ctx.user, org, reason=ctx.reason), "updated"


PLANS = {"villages": VillagePlan(), "organisations": OrganisationPlan()}
