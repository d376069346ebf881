"""Column specs of the funds chain (Chinese headers, as the offices' ledgers have them): for `bangfu export` now and
the import engine when it lands. Amounts in yuan."""

from bangfu.core.columns import Column, Entity
from bangfu.funds.models import Budget, Disbursement, Expenditure, FundSource, Level, SourceKind

FUND_SOURCES = Entity(
    name="fund-sources",
    model=FundSource,
    columns=(
        Column("编号", "id", "int"),
        Column("结对编号", "pairing_id", "int"),
        Column("帮扶方", "pairing__helper__name"),
        Column("受援地区代码", "pairing__recipient_region_id"),
        Column("资金类型", "kind", "choice", SourceKind),
        Column("资金层级", "level", "choice", Level),
        Column("年度", "year", "int"),
        Column("金额(元)", "amount", "decimal"),
        Column("到账日期", "received_on", "date"),
        Column("捐赠方", "donor"),
        Column("文号", "document_no"),
        Column("备注", "notes"),
    ),
    region_path="region_path",
    order_by=("year", "id"),
)

BUDGETS = Entity(
    name="budgets",
    model=Budget,
    columns=(
        Column("编号", "id", "int"),
        Column("结对编号", "pairing_id", "int"),
        Column("受援地区代码", "pairing__recipient_region_id"),
        Column("年度", "year", "int"),
        Column("预算金额(元)", "amount", "decimal"),
        Column("已拨付(元)", "disbursed", "decimal"),
        Column("批复日期", "approved_on", "date"),
        Column("文号", "document_no"),
    ),
    region_path="region_path",
    order_by=("year", "id"),
)

DISBURSEMENTS = Entity(
    name="disbursements",
    model=Disbursement,
    columns=(
        Column("编号", "id", "int"),
        Column("预算编号", "budget_id", "int"),
        Column("上级拨付编号", "parent_id", "int"),
        Column("拨付地区代码", "region_id"),
        Column("项目编号", "project__number"),
        Column("年度", "year", "int"),
        Column("金额(元)", "amount", "decimal"),
        Column("已拨付到项目(元)", "allocated", "decimal"),
        Column("已支出(元)", "spent", "decimal"),
        Column("拨付日期", "paid_on", "date"),
        Column("文号", "document_no"),
    ),
    region_path="region_path",
    order_by=("paid_on", "id"),
)

EXPENDITURES = Entity(
    name="expenditures",
    model=Expenditure,
    columns=(
        Column("编号", "id", "int"),
        Column("项目编号", "project__number"),
        Column("拨付编号", "disbursement_id", "int"),
        Column("年度", "year", "int"),
        Column("金额(元)", "amount", "decimal"),
        Column("支付日期", "paid_on", "date"),
        Column("收款方", "payee"),
        Column("用途", "purpose"),
        Column("文号", "document_no"),
    ),
    region_path="region_path",
    order_by=("paid_on", "id"),
)

ENTITIES = {e.name: e for e in (FUND_SOURCES, BUDGETS, DISBURSEMENTS, EXPENDITURES)}
