"""The message catalogue of the document generators: every word a document prints that is not data.

Two tables: ``_OFFICIAL`` (Chinese and English) for papers addressed to Chinese authorities and
manufacturers, checklists and data sheets; ``_SHARED`` (Chinese, English, Russian, Arabic) for what
a foreign buyer reads (contract, invoice, packing list) and for the vehicle dossier. Adding a
language means adding a column here; no prose lives in the generator code. Country and language
names come from CLDR via Babel.

The Russian and Arabic texts are working translations; a qualified translator should review them
before a contract is signed (the Chinese text prevails, contract article 9).

>>> t("common.yes", "ar")
'نعم'
>>> t("lic.over_limit", "zh", limit=20)
'超过同一商品编码20辆的上限，须拆分批次'
>>> t("check.quantity_per_code", "en")  # the number comes from law/parameters/licence/
'At most 20 vehicles per commodity code'
>>> country_name("KZ", "ru")
'Казахстан'
"""

# ruff: noqa: E501  -- catalogue text: CJK characters count double towards the line width.
from __future__ import annotations

import datetime as dt
import string

from babel import Locale, UnknownLocaleError

from chuhai.errors import ValidationError
from chuhai.lawbook.texts import has_law_fields

# The visible marker printed wherever a value is not known (never a guess).
MISSING = "【待补充 / to be supplied】"

OFFICIAL_LANGS: tuple[str, ...] = ("zh", "en")
TRADE_LANGS: tuple[str, ...] = ("zh", "en", "ru", "ar")
RTL_LANGS = frozenset({"ar"})

# zh/en only: documents addressed to Chinese authorities and manufacturers, checklists, labels of
# the licence and customs sheets.
_OFFICIAL: dict[str, dict[str, str]] = {
    "common.note": {"zh": "备注", "en": "Note"},
    "common.ordinal.1": {"zh": "一、", "en": "1. "},
    "common.ordinal.2": {"zh": "二、", "en": "2. "},
    "common.ordinal.3": {"zh": "三、", "en": "3. "},
    "common.ordinal.4": {"zh": "四、", "en": "4. "},
    "common.ordinal.5": {"zh": "五、", "en": "5. "},
    "common.ordinal.6": {"zh": "六、", "en": "6. "},
    "common.ordinal.7": {"zh": "七、", "en": "7. "},
    "common.ordinal.8": {"zh": "八、", "en": "8. "},
    # -- licence application data sheet
    "lic.exporter": {"zh": "出口商", "en": "Exporter"},
    "lic.exporter_uscc": {"zh": "出口商统一社会信用代码", "en": "Exporter's unified social credit code"},
    "lic.consignor": {"zh": "发货人", "en": "Consignor"},
    "lic.application_date": {"zh": "出口许可证申请日期", "en": "Licence application date"},
    "lic.batch": {"zh": "批次", "en": "Batch"},
    "lic.commodity_status": {"zh": "商品状态", "en": "Commodity status"},
    "lic.specification": {"zh": "规格、等级", "en": "Specification (brand + model)"},
    "lic.code_total": {
        "zh": "该商品编码项下数量（许可证数量）",
        "en": "Quantity under the code (licence quantity)",
    },
    "lic.over_limit": {
        "zh": "超过同一商品编码{limit}辆的上限，须拆分批次",
        "en": "Over the limit of {limit} vehicles under one code: split the batch",
    },
    "lic.code_missing": {"zh": "商品编码待补充", "en": "Commodity code to be supplied"},
    "lic.sheet_form": {"zh": "申请表", "en": "Application"},
    "lic.sheet_vins": {"zh": "VIN清单", "en": "VIN list"},
    "lic.sheet_annex": {"zh": "附表", "en": "Annex"},
    "lic.source_note": {
        "zh": "填写规则：出口商、发货人均为二手车出口企业；商品状态填“旧”；规格、等级填品牌+型号；VIN码、品牌、"
        "型号须与《机动车登记证书》一致（来源：二手资料）。完整的官方表样不在Chuhai的资料中，其余栏目按平台提示填写。",
        "en": 'Rules: exporter and consignor are the used-car export enterprise; commodity status "旧" (used); '
        "specification = brand + model; VIN, brand and model as on the registration certificate (secondary source). "
        "The full official form is not in Chuhai's sources; fill the other fields as the platform asks.",
    },
    "lic.annex_note": {
        "zh": "注册登记日期和转让登记待出口日期须与《机动车登记证书》一致，填入出口许可证附表"
        "（{ref:mofcom-2025-648} 一(二)，{confidence:mofcom-2025-648}）。",
        "en": "Registration date and transfer-pending-export date must match the registration certificate and go "
        "into the licence annex ({ref:mofcom-2025-648} I(2); {confidence:mofcom-2025-648}).",
    },
    # -- customs draft
    "cus.consignor": {"zh": "境内发货人", "en": "Domestic consignor"},
    "cus.consignee": {"zh": "境外收货人", "en": "Overseas consignee"},
    "cus.licence_number": {"zh": "许可证号", "en": "Licence No."},
    "cus.destination": {"zh": "运抵国（地区）", "en": "Country of destination"},
    "cus.item": {"zh": "项号", "en": "Item"},
    "cus.elements": {"zh": "规格型号（申报要素）", "en": "Declaration elements"},
    "cus.total_price": {"zh": "总价", "en": "Total price"},
    "cus.sheet_draft": {"zh": "报关单草稿", "en": "Draft"},
    "cus.sheet_elements": {"zh": "申报要素明细", "en": "Elements"},
    "cus.sheet_quantities": {"zh": "数量核对", "en": "Quantities"},
    "cus.licence_quantity": {"zh": "许可证数量", "en": "Licence quantity"},
    "cus.declared_quantity": {"zh": "申报数量", "en": "Declared quantity"},
    "cus.consistent": {"zh": "是否一致", "en": "Equal"},
    "cus.format_note": {
        "zh": "商品名称按“旧+车辆品牌+排气量+车型”填写，车辆识别代号须如实申报（{confidence:customs-product-name}）。申报要素按清单顺序以“|”连接"
        "（连接格式为推断，以单一窗口实际录入要求为准）。",
        "en": 'Product name "旧 + brand + displacement + body type"; declare every VIN truthfully ({confidence:customs-product-name}). '
        'Elements joined by "|" in list order (the joining format is inferred: follow the single window\'s input).',
    },
    "cus.list_source": {
        "zh": "申报要素清单：{description}；来源：{reference}；可信度：{confidence}",
        "en": "Element list: {description}; source: {reference}; confidence: {confidence}",
    },
    "cus.inferred_elements": {
        "zh": "以下要素的取值或位置为推断，请核对：{names}",
        "en": "Value or position inferred for these elements, check them: {names}",
    },
    "cus.quantity_note": {
        "zh": "报关数量须与许可证申请数量一致，一次性报关；少报的须重新申领许可证（{ref:mofcom-2024-6}，{confidence:mofcom-2024-6}）。",
        "en": "The declared quantity must equal the licence quantity and be cleared in one go; declaring fewer "
        "needs a new licence ({ref:mofcom-2024-6}, {confidence:mofcom-2024-6}).",
    },
    # -- enterprise kinds (shared/spec/vehicle-file.md)
    "kind.manufacturer": {"zh": "生产企业", "en": "Production enterprise"},
    "kind.authorised_exporter": {"zh": "授权出口企业", "en": "Authorised exporter"},
    "kind.circulation": {"zh": "流通企业", "en": "Circulation enterprise"},
    "kind.project_contractor": {"zh": "对外承包工程企业", "en": "Overseas project contractor"},
    # -- checklist
    "status.ok": {"zh": "已具备", "en": "OK"},
    "status.missing": {"zh": "缺失", "en": "Missing"},
    "status.blocked": {"zh": "不能申领", "en": "Blocked"},
    "status.to_do": {"zh": "待办（打印、签章、附上）", "en": "To do (print, sign, seal, attach)"},
    "status.not_applicable": {"zh": "不适用", "en": "Not applicable"},
    "check.exporter_filing": {"zh": "出口企业备案有效", "en": "Exporter's filing valid"},
    "check.application_data": {
        "zh": "出口许可证申请表及附表数据（与《机动车登记证书》一致）",
        "en": "Licence application form and annex data (matching the registration certificates)",
    },
    "check.quantity_per_code": {
        "zh": "同一商品编码不超过{licence.max_vehicles_per_code}辆",
        "en": "At most {licence.max_vehicles_per_code} vehicles per commodity code",
    },
    "check.contract": {
        "zh": "含售后服务条款的出口合同（外文合同附中文译本）",
        "en": "Export contract with after-sales terms (Chinese translation of a foreign-language contract)",
    },
    "check.certificates": {
        "zh": "《机动车登记证书》（所有人为出口企业）",
        "en": "Registration certificates in the exporter's name",
    },
    "check.test_reports": {
        "zh": "第三方检测报告（{ref:wmt-8-2022} / {ref:wmt-9-2022}）",
        "en": "Third-party test reports ({ref:wmt-8-2022} / {ref:wmt-9-2022})",
    },
    "check.market_access": {
        "zh": "车辆符合目标市场准入标准的书面声明（加盖公章）",
        "en": "Sealed statement that the vehicles meet the target market's access standards",
    },
    "check.aftersales": {
        "zh": "生产企业出具的《售后维修服务确认书》（注册不满{aftersales.window_days}天（含））",
        "en": "Manufacturers' after-sales service confirmations (registered {aftersales.window_days} days or fewer)",
    },
    "check.screening": {"zh": "车辆筛查结论", "en": "Screening verdicts"},
    "check.gaps": {"zh": "待补充数据：{document}", "en": "Data to supply: {document}"},
    "check.dereg": {"zh": "注销登记：{vin}", "en": "Deregistration: {vin}"},
    "check.item": {"zh": "项目", "en": "Item"},
    "check.status": {"zh": "状态", "en": "Status"},
    "check.detail_zh": {"zh": "说明", "en": "Detail (Chinese)"},
    "check.detail_en": {"zh": "说明（英文）", "en": "Detail (English)"},
    "check.source": {"zh": "依据", "en": "Source"},
    "check.complete": {"zh": "材料齐全（无缺失、无阻断）", "en": "Complete (nothing missing or blocked)"},
    "check.filing_project": {
        "zh": "对外承包工程项目出口无需备案，凭中标文件、对外承包工程项目备案表和合同申领许可证",
        "en": "Project-contracting exports need no filing: apply with the bid documents, the project filing form "
        "and the contract",
    },
    "check.filing_none": {"zh": "出口企业尚未备案", "en": "The exporter has no used-car export filing"},
    "check.filing_until": {"zh": "备案有效期至{until}", "en": "Filing valid until {until}"},
    "check.no_application_date": {
        "zh": "未填写出口许可证申请日期",
        "en": "No licence application date given",
    },
    "check.filing_expired": {
        "zh": "备案已于{until}到期，申请日期{date}在有效期之后",
        "en": "The filing expired on {until}; the application date {date} is after it",
    },
    "check.application_data_ok": {
        "zh": "申请表及附表所需数据齐全",
        "en": "All data for the form and its annex is present",
    },
    "check.code_quantity": {"zh": "商品编码{code}：{quantity}辆", "en": "Code {code}: {quantity} vehicles"},
    "check.over_limit": {
        "zh": "同一商品编码超过{limit}辆，须拆分批次",
        "en": "More than {limit} vehicles under one code: split the batch",
    },
    "check.contract_gaps": {"zh": "合同所需数据待补充：", "en": "Contract data to be supplied:"},
    "check.contract_sign": {
        "zh": "已生成含售后服务条款的中外文合同；双方签字盖章后附上",
        "en": "The bilingual contract with the after-sales clause is generated; attach it signed and sealed",
    },
    "check.owner_wrong": {
        "zh": "以下车辆《机动车登记证书》所有人不是{exporter}：{vins}",
        "en": "The certificate owner is not {exporter} for: {vins}",
    },
    "check.owner_unknown": {
        "zh": "以下车辆登记证书所有人未知：{vins}",
        "en": "Certificate owner not known for: {vins}",
    },
    "check.certificates_attach": {
        "zh": "所有人均为出口企业；附上《机动车登记证书》原件或扫描件",
        "en": "Every owner is the exporter; attach the certificates (original or scan)",
    },
    "check.test_failed": {"zh": "检测不合格：{vins}", "en": "Test failed: {vins}"},
    "check.test_missing": {"zh": "缺少检测报告：{vins}", "en": "No test report: {vins}"},
    "check.test_standard": {
        "zh": "检测标准与车辆类别不符（乘用车{ref:wmt-8-2022}，商用车及挂车{ref:wmt-9-2022}）：{vins}",
        "en": "Test standard does not fit the vehicle category (passenger cars {ref:wmt-8-2022}, commercial vehicles "
        "and trailers {ref:wmt-9-2022}): {vins}",
    },
    "check.tests_ok": {
        "zh": "{count}辆车检测报告齐全且合格",
        "en": "Test reports present and passed for all {count} vehicles",
    },
    "check.statement_seal": {
        "zh": "已生成声明；打印并加盖公章",
        "en": "The statement is generated; print it and apply the official seal",
    },
    "check.aftersales_none": {
        "zh": "本批次无注册登记至申请日不满{aftersales.window_days}天（含）的车辆，无需确认书",
        "en": "No vehicle is {aftersales.window_days} days or fewer from registration to application: no confirmation needed",
    },
    "check.aftersales_request": {
        "zh": "须由{manufacturer}出具确认书（已生成商请函）：{vins}",
        "en": "Confirmation needed from {manufacturer} (request letter generated): {vins}",
    },
    "check.aftersales_unknown": {
        "zh": "缺少注册登记日期或申请日期，无法判断是否需要确认书：{vins}",
        "en": "Registration or application date missing; cannot tell whether a confirmation is needed: {vins}",
    },
    "check.aftersales_held": {"zh": "确认书已取得：{vins}", "en": "Confirmation held: {vins}"},
    "check.not_screened": {"zh": "{vin}未经筛查", "en": "{vin} has not been screened"},
    "check.vehicle_blocked": {"zh": "{vin}不可出口：{rules}", "en": "{vin} is blocked: {rules}"},
    "check.vehicle_action": {"zh": "{vin}需补办：{rules}", "en": "{vin} needs action: {rules}"},
    "check.all_eligible": {"zh": "{count}辆车均可出口", "en": "All {count} vehicles are eligible"},
    "check.gap_intro": {
        "zh": "以下数据在《{document}》中显示为“待补充”：",
        "en": 'These values show as "to be supplied" in "{document}":',
    },
    "check.gap_line": {"zh": "{label}：{vins}", "en": "{label}: {vins}"},
    "check.dereg_vehicle": {
        "zh": "{brand}{model}，注册登记日期{registration}",
        "en": "{brand} {model}, registered {registration}",
    },
    "check.dereg_no_clearance": {
        "zh": "尚无报关放行日期，无法计算注销登记期限",
        "en": "No clearance date yet: the deregistration deadline cannot be computed",
    },
    "check.dereg_due": {
        "zh": "{clearance}报关放行，须于{due}前向登记地车辆管理所申请注销登记（报关后{registration.deregistration_months}个月内）",
        "en": "Cleared {clearance}: apply for deregistration at the vehicle office of the registration place by "
        "{due} (within {registration.deregistration_months} months of clearance)",
    },
    "check.dereg_documents": {
        "zh": "携带出口货物报关单及车辆管理所要求的其他证明材料",
        "en": "Bring the export declaration form and the other documents the office requires",
    },
    # -- letters: common
    "letter.seal": {"zh": "出口企业（盖章）：{name}", "en": "Exporter (seal): {name}"},
    "letter.legal_rep": {
        "zh": "法定代表人（签字）：{name}",
        "en": "Legal representative (signature): {name}",
    },
    "letter.date_line": {"zh": "日期：______年____月____日", "en": "Date: ______"},
    "letter.contact": {"zh": "联系人：{name}　联系电话：{phone}", "en": "Contact: {name}, phone {phone}"},
    "letter.closing": {"zh": "此致\n敬礼！", "en": "Yours faithfully,"},
    # -- market-access statement
    "statement.addressee": {"zh": "致：出口许可证发证机构", "en": "To: the export licence issuing authority"},
    "statement.body": {
        "zh": "我公司{exporter}（统一社会信用代码：{uscc}）申请出口{count}辆二手车至{destination}（批次：{batch}），"
        "车辆清单见下表。我公司郑重声明：",
        "en": "We, {exporter} (unified social credit code {uscc}), apply to export {count} used vehicles to "
        "{destination} (batch {batch}), listed below. We solemnly declare:",
    },
    "statement.point_market": {
        "zh": "一、上述车辆符合{destination}的市场准入标准。",
        "en": "1. The vehicles meet the market-access standards of {destination}.",
    },
    "statement.point_test": {
        "zh": "二、上述车辆均已经第三方检测机构逐车检测合格（乘用车按{ref:wmt-8-2022}，商用车及挂车按{ref:wmt-9-2022}），"
        "检测报告编号见下表。",
        "en": "2. Each vehicle has passed an individual test by a third-party testing body (passenger cars per "
        "{ref:wmt-8-2022}, commercial vehicles and trailers per {ref:wmt-9-2022}); report numbers below.",
    },
    "statement.point_certificate": {
        "zh": "三、车辆识别代号、品牌、型号及注册登记日期与《机动车登记证书》记载一致。",
        "en": "3. VIN, brand, model and registration date match the registration certificates.",
    },
    "statement.point_owner": {
        "zh": "四、《机动车登记证书》所载机动车所有人均为{exporter}。",
        "en": "4. The owner recorded on every registration certificate is {exporter}.",
    },
    "statement.liability": {
        "zh": "以上声明如有不实，我公司愿承担相应法律责任。",
        "en": "We bear the legal responsibility for any untruth in this statement.",
    },
    "statement.sources": {
        "zh": "依据：{ref:licence-form-guide}所列申领材料“车辆符合目标市场准入标准的书面声明（加盖公章）”"
        "（{confidence:licence-form-guide}）；{ref:mofcom-2019-165}：出口车辆须符合目的国市场准入标准"
        "（{confidence:mofcom-2019-165}）；{ref:mofcom-2025-648} 一(二)：许可证数据须与《机动车登记证书》一致（{confidence:mofcom-2025-648}）。",
        "en": 'Sources: licence materials listed by {ref:licence-form-guide}, "a written statement, sealed, '
        "that the vehicles meet the target market's access standards\" ({confidence:licence-form-guide}); "
        "{ref:mofcom-2019-165}: vehicles must meet the destination's access standard "
        "({confidence:mofcom-2019-165}); {ref:mofcom-2025-648} I(2): licence data must match the registration certificate "
        "({confidence:mofcom-2025-648}).",
    },
    # -- after-sales confirmation request
    "aftersales.addressee": {"zh": "{manufacturer}：", "en": "To {manufacturer}:"},
    "aftersales.intro": {
        "zh": "我公司{exporter}（统一社会信用代码：{uscc}）拟向{destination}出口贵公司生产的下列{count}辆车辆，"
        "出口许可证申请日期为{application_date}。",
        "en": "We, {exporter} (unified social credit code {uscc}), intend to export the {count} vehicles of your "
        "make listed below to {destination}; the licence application date is {application_date}.",
    },
    "aftersales.rule": {
        "zh": "根据《{title:mofcom-2025-648}》（{ref:mofcom-2025-648}），自{start}起，车辆注册登记日期至出口许可证申请日期不满{days}天"
        "（含{days}天）的，申请出口许可证时须提交车辆生产企业出具的《售后维修服务确认书》，载明出口目的国、"
        "车辆信息和售后服务网点，并加盖生产企业公章；未提交的，不予签发出口许可证。",
        "en": "Under the {title:mofcom-2025-648} ({ref:mofcom-2025-648}), from {start} a vehicle whose licence application falls {days} days "
        "or fewer ({days} included) after its registration date needs the manufacturer's sealed After-sales "
        "Maintenance Service Confirmation stating the destination, the vehicle data and the service outlets; "
        "without it no export licence is issued.",
    },
    "aftersales.issuer": {
        "zh": "根据商务部《{title:mofcom-guideline-2025-12-11}》（{issued:mofcom-guideline-2025-12-11}），"
        "确认书须由列入工业和信息化部《道路机动车辆生产企业公告》且名称完全一致的生产企业出具，销售子公司、"
        "海外销售部门、海外授权经销商及改装车生产企业不得出具；同一许可证涉及多家生产企业的，由各生产企业分别出具。",
        "en": "Under the MOFCOM {title:mofcom-guideline-2025-12-11} of {issued:mofcom-guideline-2025-12-11}, the confirmation must be issued by the "
        "manufacturer listed, under exactly the same name, in MIIT's catalogue of road motor vehicle manufacturers; "
        "sales subsidiaries, overseas sales departments, overseas authorised dealers and modified-vehicle makers may "
        "not issue it; where one licence covers several manufacturers, each issues its own letter.",
    },
    "aftersales.request": {
        "zh": "特商请贵公司就下列车辆出具《售后维修服务确认书》，内容如下：",
        "en": "We therefore ask you to issue the confirmation for the vehicles below, stating:",
    },
    "aftersales.item_destination": {
        "zh": "一、出口目的国：{destination}",
        "en": "1. Destination country: {destination}",
    },
    "aftersales.item_vehicles": {
        "zh": "二、车辆信息：共{count}辆（其中注册不满{aftersales.window_days}天（含）须出具确认书的{required}辆），车辆识别代号见下表。",
        "en": "2. Vehicles: {count} in total ({required} of them registered {aftersales.window_days} days or fewer, needing the "
        "confirmation); VINs below.",
    },
    "aftersales.item_outlet": {
        "zh": "三、海外售后服务网点：{name}；地址：{address}；服务提供方：{provider}。",
        "en": "3. Overseas service outlet: {name}; address: {address}; service provider: {provider}.",
    },
    "aftersales.seal_request": {
        "zh": "请在确认书上加盖贵公司公章。",
        "en": "Please apply your company's official seal to the confirmation.",
    },
    "aftersales.days": {"zh": "注册登记至申请日天数", "en": "Days from registration to application"},
    "aftersales.needed": {"zh": "须出具确认书", "en": "Confirmation required"},
    "aftersales.sources": {
        "zh": "依据：{ref:mofcom-2025-648} 一(一)（{confidence:mofcom-2025-648}）；{ref:mofcom-guideline-2025-12-11}（{confidence:mofcom-guideline-2025-12-11}）。",
        "en": "Sources: {ref:mofcom-2025-648} I(1) ({confidence:mofcom-2025-648}); {ref:mofcom-guideline-2025-12-11} ({confidence:mofcom-guideline-2025-12-11}).",
    },
    # -- filing commitment letter
    "commitment.addressee": {
        "zh": "致：省级商务主管部门（备案机构）",
        "en": "To: the provincial commerce department (filing body)",
    },
    "commitment.intro": {
        "zh": "我公司{name}（统一社会信用代码：{uscc}，企业类型：{kind}）申请二手车出口企业备案，郑重承诺如下：",
        "en": "We, {name} (unified social credit code {uscc}, {kind}), apply for the used-car export filing and "
        "solemnly commit:",
    },
    "commitment.truthful": {
        "zh": "所提交的备案申请材料真实、准确、完整，复印件与原件一致。",
        "en": "The filing materials are true, accurate and complete; copies match the originals.",
    },
    "commitment.legal_person": {
        "zh": "我公司为在中华人民共和国境内注册的独立法人，依法经营，遵守安全、环保、税收、海关、外汇等监管要求，"
        "无未整改的违法违规记录和严重失信行为。",
        "en": "We are an independent legal person registered in the PRC, operate lawfully, meet the safety, "
        "environmental, tax, customs and foreign-exchange requirements, and have no uncorrected violations and no "
        "serious dishonesty on record.",
    },
    "commitment.self_apply": {
        "zh": "坚持“谁出口谁申领”，不委托其他企业或个人代为申领出口许可证，并作为出口车辆质量追溯责任主体。",
        "en": 'We apply for our own export licences ("whoever exports applies"), never through another company or '
        "person, and are the party responsible for quality traceability of the vehicles we export.",
    },
    "commitment.prohibited": {
        "zh": "不出口{ref:mofcom-2024-6}禁止出口的车辆，包括已达到报废标准或距强制报废年限{scrapping.export_ban_years_before_limit}年以内（含）、抵押质押或"
        "海关监管、被查封扣押、涉案、与登记证书不符、走私拼装、手续不全、检测不合格、交通违法或事故未处理的车辆。",
        "en": "We export no vehicle prohibited by {ref:mofcom-2024-6}: at or within {scrapping.export_ban_years_before_limit} year(s) (inclusive) of the "
        "scrapping limit, mortgaged, pledged or under customs supervision, sealed or seized, obtained through crime, "
        "not matching its certificate, smuggled or assembled, with incomplete documents, failing its test, or with "
        "unresolved violations or accidents.",
    },
    "commitment.testing": {
        "zh": "出口车辆逐车经第三方检测机构检测（乘用车{ref:wmt-8-2022}，商用车及挂车{ref:wmt-9-2022}），并符合目的国（地区）"
        "市场准入标准。",
        "en": "Every vehicle is tested by a third-party body (passenger cars {ref:wmt-8-2022}, commercial vehicles and "
        "trailers {ref:wmt-9-2022}) and meets the destination's market-access standards.",
    },
    "commitment.aftersales": {
        "zh": "自{since:aftersales.window_days}起，对注册登记日期至出口许可证申请日期不满{aftersales.window_days}天（含{aftersales.window_days}天）的车辆，"
        "提交生产企业出具的《售后维修服务确认书》，不以二手车名义出口新车（{ref:mofcom-2025-648}）。",
        "en": "From {since:aftersales.window_days}, for vehicles {aftersales.window_days} days or fewer (inclusive) from registration to "
        "licence application we submit the manufacturer's after-sales service confirmation, and we export no new "
        "car as a used one ({ref:mofcom-2025-648}).",
    },
    "commitment.deregistration": {
        "zh": "车辆出口报关后{registration.deregistration_months}个月内，凭出口货物报关单等材料向登记地车辆管理所申请注销登记。",
        "en": "Within {registration.deregistration_months} months after export clearance we apply for deregistration at the registration-place "
        "vehicle office with the export declaration form and the other documents.",
    },
    "commitment.credit": {
        "zh": "接受商务主管部门的信用评价和动态管理（《二手车出口不诚信行为负面清单》，{ref:mofcom-2025-648} 一(三)）。",
        "en": "We accept the commerce authorities' credit evaluation and dynamic management (negative list of "
        "dishonest conduct, {ref:mofcom-2025-648} I(3)).",
    },
    "commitment.closing": {
        "zh": "如违反上述承诺，我公司愿承担相应法律责任。备案机构另有规定格式的，以其格式为准。",
        "en": "We bear the legal consequences of breaching these commitments. Where the filing body prescribes its "
        "own form, that form prevails.",
    },
    "commitment.sources": {
        "zh": "依据：{ref:mofcom-2024-6}（{confidence:mofcom-2024-6}）；{ref:mofcom-guide-2025}（{confidence:mofcom-guide-2025}；“谁出口谁申领”"
        "已核对原文）；{ref:mofcom-2025-648}（{confidence:mofcom-2025-648}）；{ref:wmt-8-2022}（{confidence:wmt-8-2022}）、{ref:wmt-9-2022}（{confidence:wmt-9-2022}）。",
        "en": "Sources: {ref:mofcom-2024-6} ({confidence:mofcom-2024-6}); {ref:mofcom-guide-2025} ({confidence:mofcom-guide-2025}; "
        '"whoever exports applies" verified in source); {ref:mofcom-2025-648} ({confidence:mofcom-2025-648}); {ref:wmt-8-2022} ({confidence:wmt-8-2022}), '
        "{ref:wmt-9-2022} ({confidence:wmt-9-2022}).",
    },
    # -- filing application outline
    "outline.intro": {
        "zh": "本提纲按备案申请书的内容（企业情况、发展规划、实施方案等）编排；表格数据取自企业档案，【请填写】处由企业"
        "填写后删除提示。",
        "en": "This outline follows the filing application's content (enterprise situation, development plan, "
        "implementation plan); table data comes from the enterprise record, the enterprise writes the bracketed parts.",
    },
    "outline.section_situation": {"zh": "一、企业基本情况", "en": "1. The enterprise"},
    "outline.field": {"zh": "项目", "en": "Field"},
    "outline.value": {"zh": "内容", "en": "Value"},
    "outline.name": {"zh": "企业名称", "en": "Enterprise name"},
    "outline.kind": {"zh": "企业类型", "en": "Enterprise kind"},
    "outline.legal_rep": {"zh": "法定代表人", "en": "Legal representative"},
    "outline.contact": {"zh": "联系人", "en": "Contact"},
    "outline.phone": {"zh": "联系电话", "en": "Phone"},
    "outline.customs_code": {"zh": "海关编码", "en": "Customs code"},
    "outline.display_site": {"zh": "二手车展示交易场地", "en": "Used-car display and sales site"},
    "outline.appraisers": {"zh": "鉴定评估专业人员人数", "en": "Appraisal professionals employed"},
    "outline.appraisers_short": {
        "zh": "（须不少于{exporter.min_appraisers}名，{ref:mofcom-2024-6}）",
        "en": "(at least {exporter.min_appraisers} required, {ref:mofcom-2024-6})",
    },
    "outline.previous_filing": {"zh": "上次备案批准日期", "en": "Previous filing approved on"},
    "outline.situation_prose": {
        "zh": "【请填写：主营业务；汽车销售或贸易经验；固定办公场所；近年经营及出口情况；守法经营情况】",
        "en": "[To write: main business; car sales or trade experience; fixed office; recent business and exports; "
        "compliance record]",
    },
    "outline.section_plan": {"zh": "二、发展规划", "en": "2. Development plan"},
    "outline.plan_prose": {
        "zh": "【请填写：目标市场及其准入要求；年度出口计划（数量、金额）；车源渠道；海外销售及售后服务网络建设】",
        "en": "[To write: target markets and their access rules; yearly export plan (units, value); vehicle "
        "sourcing; overseas sales and after-sales network]",
    },
    "outline.section_implementation": {"zh": "三、实施方案", "en": "3. Implementation plan"},
    "outline.implementation_prose": {
        "zh": "【请填写：车辆采购与转让登记（“转让待出口”）；第三方检测（{ref:wmt-8-2022} / {ref:wmt-9-2022}）；出口许可证申领"
        "（“谁出口谁申领”）；报关与注销登记；售后服务安排（含注册不满{aftersales.window_days}天车辆的《售后维修服务确认书》）；质量追溯与合规管理】",
        "en": '[To write: purchase and transfer registration ("transferred, pending export"); third-party testing '
        '({ref:wmt-8-2022} / {ref:wmt-9-2022}); licence applications ("whoever exports applies"); customs clearance and '
        "deregistration; after-sales service (incl. manufacturers' confirmations for vehicles registered {aftersales.window_days} days or "
        "fewer); quality traceability and compliance]",
    },
    "outline.section_materials": {"zh": "四、随附材料", "en": "4. Attached materials"},
    "outline.mat_licence": {"zh": "营业执照复印件", "en": "Copy of the business licence"},
    "outline.mat_customs_code": {
        "zh": "海关编码（海关注册登记）复印件",
        "en": "Copy of the customs code (customs registration)",
    },
    "outline.mat_commitment": {"zh": "承诺书", "en": "Commitment letter"},
    "outline.mat_audit": {
        "zh": "上一年度会计师事务所审计报告复印件（新设企业提供当期财务报表及出资人审计报告）",
        "en": "Copy of last year's audit report by an accounting firm (new companies: current statements and the "
        "investor's audit report)",
    },
    "outline.mat_site": {
        "zh": "经营场地证明（固定办公场所及二手车展示交易场地）",
        "en": "Proof of premises (fixed office and used-car display and sales site)",
    },
    "outline.mat_appraisers": {
        "zh": "鉴定评估专业人员资质证明（不少于{exporter.min_appraisers}名）",
        "en": "Qualifications of the appraisal professionals (at least {exporter.min_appraisers})",
    },
    "outline.sources": {
        "zh": "依据：{ref:licence-form-guide}（{confidence:licence-form-guide}）；{ref:mofcom-2024-6}（{confidence:mofcom-2024-6}）；"
        "{ref:mofcom-guide-2025}（{confidence:mofcom-guide-2025}）。",
        "en": "Sources: {ref:licence-form-guide} ({confidence:licence-form-guide}); {ref:mofcom-2024-6} ({confidence:mofcom-2024-6}); "
        "{ref:mofcom-guide-2025} ({confidence:mofcom-guide-2025}).",
    },
    "dossier.findings_note": {
        "zh": "可信度：已核对原文 / 二手资料 / 推断。依据为二手资料或推断的结论请核实后使用。",
        "en": "Confidence: verified in source / secondary source / inferred. Check findings resting on secondary or "
        "inferred sources before relying on them.",
    },
}

# zh/en/ru/ar: everything a foreign buyer reads (contract, invoice, packing list) and the dossier.
_SHARED: dict[str, dict[str, str]] = {
    "common.yes": {"zh": "是", "en": "Yes", "ru": "Да", "ar": "نعم"},
    "common.no": {"zh": "否", "en": "No", "ru": "Нет", "ar": "لا"},
    "common.unknown": {
        "zh": "尚无法判断",
        "en": "Cannot tell yet",
        "ru": "Пока не определено",
        "ar": "غير محدد بعد",
    },
    "common.not_applicable": {"zh": "不适用", "en": "Not applicable", "ru": "Не применимо", "ar": "لا ينطبق"},
    "common.seq": {"zh": "序号", "en": "No.", "ru": "№", "ar": "الرقم"},
    "common.unit_vehicle": {"zh": "辆", "en": "unit", "ru": "шт.", "ar": "وحدة"},
    # -- document titles
    "doc.licence_sheet": {
        "zh": "出口许可证申请数据（二手车）",
        "en": "Export licence application data (used vehicles)",
        "ru": "Данные заявки на экспортную лицензию (подержанные автомобили)",
        "ar": "بيانات طلب رخصة التصدير (سيارات مستعملة)",
    },
    "doc.checklist_licence": {
        "zh": "许可证申领材料核对清单",
        "en": "Licence application checklist",
        "ru": "Контрольный перечень документов для лицензии",
        "ar": "قائمة التحقق من مستندات طلب الرخصة",
    },
    "doc.checklist_deregistration": {
        "zh": "注销登记核对清单",
        "en": "Deregistration checklist",
        "ru": "Контрольный перечень снятия с учёта",
        "ar": "قائمة التحقق من إلغاء التسجيل",
    },
    "doc.market_access": {
        "zh": "出口车辆符合目的国（地区）市场准入标准的声明",
        "en": "Statement that the exported vehicles meet the destination market's access standards",
        "ru": "Заявление о соответствии экспортируемых автомобилей требованиям рынка страны назначения",
        "ar": "إقرار بمطابقة المركبات المصدَّرة لمعايير دخول سوق بلد المقصد",
    },
    "doc.aftersales_request": {
        "zh": "关于商请出具《售后维修服务确认书》的函",
        "en": "Request for an after-sales maintenance service confirmation",
        "ru": "Запрос подтверждения послепродажного обслуживания",
        "ar": "طلب إصدار تأكيد خدمة الصيانة بعد البيع",
    },
    "doc.filing_commitment": {
        "zh": "二手车出口企业备案承诺书",
        "en": "Commitment letter of the used-vehicle export filing",
        "ru": "Обязательство для регистрации экспортёра подержанных автомобилей",
        "ar": "تعهد تسجيل مؤسسة تصدير السيارات المستعملة",
    },
    "doc.filing_outline": {
        "zh": "二手车出口企业备案申请书（提纲）",
        "en": "Used-vehicle export filing application (outline)",
        "ru": "Заявление о регистрации экспортёра подержанных автомобилей (план)",
        "ar": "طلب تسجيل مؤسسة تصدير السيارات المستعملة (مخطط)",
    },
    "doc.contract": {
        "zh": "二手车出口合同",
        "en": "Export Contract for Used Vehicles",
        "ru": "Контракт на экспорт подержанных автомобилей",
        "ar": "عقد تصدير سيارات مستعملة",
    },
    "doc.invoice": {
        "zh": "商业发票",
        "en": "Commercial Invoice",
        "ru": "Коммерческий инвойс",
        "ar": "فاتورة تجارية",
    },
    "doc.packing_list": {
        "zh": "装箱单",
        "en": "Packing List",
        "ru": "Упаковочный лист",
        "ar": "قائمة التعبئة",
    },
    "doc.customs_draft": {
        "zh": "出口报关单草稿（二手车）",
        "en": "Export customs declaration draft (used vehicles)",
        "ru": "Проект экспортной таможенной декларации (подержанные автомобили)",
        "ar": "مسودة البيان الجمركي للتصدير (سيارات مستعملة)",
    },
    "doc.dossier": {
        "zh": "车辆档案",
        "en": "Vehicle dossier",
        "ru": "Досье транспортного средства",
        "ar": "ملف المركبة",
    },
    "doc.package": {
        "zh": "许可证申领材料包",
        "en": "Licence application package",
        "ru": "Пакет документов для заявки на лицензию",
        "ar": "حزمة مستندات طلب الرخصة",
    },
    "doc.manufacturer": {
        "zh": "生产企业",
        "en": "Manufacturer",
        "ru": "Изготовитель",
        "ar": "الشركة المصنِّعة",
    },
    "doc.outlet_name": {
        "zh": "海外售后服务网点",
        "en": "Overseas service outlet",
        "ru": "Зарубежный сервисный пункт",
        "ar": "مركز الخدمة في الخارج",
    },
    "doc.outlet_address": {
        "zh": "网点地址",
        "en": "Outlet address",
        "ru": "Адрес сервисного пункта",
        "ar": "عنوان مركز الخدمة",
    },
    "doc.outlet_provider": {
        "zh": "服务提供方",
        "en": "Service provider",
        "ru": "Поставщик услуг",
        "ar": "مقدِّم الخدمة",
    },
    "doc.test_report_number": {
        "zh": "检测报告编号",
        "en": "Test report No.",
        "ru": "№ отчёта об испытаниях",
        "ar": "رقم تقرير الفحص",
    },
    "doc.test_standard": {
        "zh": "检测标准",
        "en": "Test standard",
        "ru": "Стандарт испытаний",
        "ar": "معيار الفحص",
    },
    # -- vehicle and licence fields
    "lic.vin": {"zh": "车辆识别代号(VIN)", "en": "VIN", "ru": "VIN", "ar": "رقم تعريف المركبة (VIN)"},
    "lic.brand": {"zh": "车辆品牌", "en": "Brand", "ru": "Марка", "ar": "العلامة التجارية"},
    "lic.model": {"zh": "车辆型号", "en": "Model", "ru": "Модель", "ar": "الطراز"},
    "lic.commodity_code": {
        "zh": "商品编码",
        "en": "Commodity code (HS)",
        "ru": "Код товара (HS)",
        "ar": "رمز السلعة (HS)",
    },
    "lic.quantity": {"zh": "数量", "en": "Quantity", "ru": "Количество", "ar": "الكمية"},
    "lic.unit": {"zh": "单位", "en": "Unit", "ru": "Ед. изм.", "ar": "الوحدة"},
    "lic.registration_date": {
        "zh": "注册登记日期",
        "en": "Registration date",
        "ru": "Дата регистрации",
        "ar": "تاريخ التسجيل",
    },
    "lic.transfer_date": {
        "zh": "转让登记待出口日期",
        "en": "Transfer-pending-export registration date",
        "ru": "Дата регистрации передачи для экспорта",
        "ar": "تاريخ تسجيل النقل بانتظار التصدير",
    },
    "lic.destination": {
        "zh": "目的国（地区）",
        "en": "Destination country",
        "ru": "Страна назначения",
        "ar": "بلد المقصد",
    },
    "lic.contract_number": {"zh": "合同号", "en": "Contract No.", "ru": "№ контракта", "ar": "رقم العقد"},
    "party.address": {"zh": "地址", "en": "Address", "ru": "Адрес", "ar": "العنوان"},
    "party.uscc": {
        "zh": "统一社会信用代码",
        "en": "Unified social credit code",
        "ru": "Единый код социального кредита",
        "ar": "رمز الائتمان الاجتماعي الموحد",
    },
    # -- goods
    "goods.product_name": {
        "zh": "商品名称",
        "en": "Product name",
        "ru": "Наименование товара",
        "ar": "اسم السلعة",
    },
    "goods.unit_price": {"zh": "单价", "en": "Unit price", "ru": "Цена за единицу", "ar": "سعر الوحدة"},
    "goods.currency": {"zh": "币制", "en": "Currency", "ru": "Валюта", "ar": "العملة"},
    "goods.trade_term": {
        "zh": "贸易术语",
        "en": "Trade term (Incoterms® 2020)",
        "ru": "Условия поставки (Incoterms® 2020)",
        "ar": "شرط التجارة (Incoterms® 2020)",
    },
    "goods.description": {
        "zh": "货物描述",
        "en": "Description",
        "ru": "Описание товара",
        "ar": "وصف البضاعة",
    },
    "goods.description_foreign": {
        "zh": "货物描述（外文）",
        "en": "Description (English)",
        "ru": "Описание (на русском языке)",
        "ar": "الوصف (بالعربية)",
    },
    "goods.kerb_mass": {
        "zh": "整备质量(kg)",
        "en": "Kerb mass (kg)",
        "ru": "Снаряжённая масса (кг)",
        "ar": "الوزن الفارغ (كغ)",
    },
    "goods.litres": {"zh": "{litres}升", "en": "{litres} L", "ru": "{litres} л", "ar": "{litres} لتر"},
    "goods.line": {
        "zh": "二手车 {brand} {model}，{engine}，{body}",
        "en": "Used vehicle {brand} {model}, {engine}, {body}",
        "ru": "Подержанный автомобиль {brand} {model}, {engine}, {body}",
        "ar": "مركبة مستعملة {brand} {model}، {engine}، {body}",
    },
    "fuel.petrol": {"zh": "汽油", "en": "Petrol", "ru": "Бензин", "ar": "بنزين"},
    "fuel.diesel": {"zh": "柴油", "en": "Diesel", "ru": "Дизель", "ar": "ديزل"},
    "fuel.hev_petrol": {
        "zh": "汽油混合动力",
        "en": "Petrol hybrid",
        "ru": "Бензиновый гибрид",
        "ar": "هجينة (بنزين)",
    },
    "fuel.hev_diesel": {
        "zh": "柴油混合动力",
        "en": "Diesel hybrid",
        "ru": "Дизельный гибрид",
        "ar": "هجينة (ديزل)",
    },
    "fuel.phev_petrol": {
        "zh": "插电式混合动力（汽油）",
        "en": "Plug-in hybrid (petrol)",
        "ru": "Подключаемый гибрид (бензин)",
        "ar": "هجينة قابلة للشحن (بنزين)",
    },
    "fuel.phev_diesel": {
        "zh": "插电式混合动力（柴油）",
        "en": "Plug-in hybrid (diesel)",
        "ru": "Подключаемый гибрид (дизель)",
        "ar": "هجينة قابلة للشحن (ديزل)",
    },
    "fuel.bev": {"zh": "纯电动", "en": "Battery electric", "ru": "Электромобиль", "ar": "كهربائية بالكامل"},
    "fuel.other": {"zh": "其他", "en": "Other", "ru": "Прочее", "ar": "أخرى"},
    "body.sedan": {"zh": "小轿车", "en": "Sedan", "ru": "Седан", "ar": "سيدان"},
    "body.offroad_4wd": {
        "zh": "四轮驱动越野车",
        "en": "Off-road vehicle (4WD)",
        "ru": "Внедорожник (4WD)",
        "ar": "مركبة دفع رباعي للطرق الوعرة",
    },
    "body.wagon": {
        "zh": "小客车（9座及以下）",
        "en": "Passenger van (up to 9 seats)",
        "ru": "Микроавтобус (до 9 мест)",
        "ar": "حافلة ركاب صغيرة (حتى 9 مقاعد)",
    },
    "body.other": {
        "zh": "其他载人车辆",
        "en": "Other passenger vehicle",
        "ru": "Прочее пассажирское ТС",
        "ar": "مركبة ركاب أخرى",
    },
    # -- contract
    "contract.number": {"zh": "合同编号", "en": "Contract No.", "ru": "Номер контракта", "ar": "رقم العقد"},
    "contract.date": {
        "zh": "签订日期",
        "en": "Date of signing",
        "ru": "Дата подписания",
        "ar": "تاريخ التوقيع",
    },
    "contract.seller": {"zh": "卖方", "en": "Seller", "ru": "Продавец", "ar": "البائع"},
    "contract.buyer": {"zh": "买方", "en": "Buyer", "ru": "Покупатель", "ar": "المشتري"},
    "contract.seller_address": {
        "zh": "卖方地址",
        "en": "Seller's address",
        "ru": "Адрес продавца",
        "ar": "عنوان البائع",
    },
    "contract.buyer_address": {
        "zh": "买方地址",
        "en": "Buyer's address",
        "ru": "Адрес покупателя",
        "ar": "عنوان المشتري",
    },
    "contract.buyer_country": {
        "zh": "买方国家（地区）",
        "en": "Buyer's country",
        "ru": "Страна покупателя",
        "ar": "بلد المشتري",
    },
    "contract.country": {"zh": "国家（地区）", "en": "Country", "ru": "Страна", "ar": "البلد"},
    "contract.total": {"zh": "合计", "en": "Total", "ru": "Итого", "ar": "الإجمالي"},
    "contract.term_place": {
        "zh": "贸易术语指定地点",
        "en": "Named place",
        "ru": "Названное место",
        "ar": "المكان المسمّى",
    },
    "contract.delivery_by": {
        "zh": "交货期限",
        "en": "Delivery by",
        "ru": "Срок поставки",
        "ar": "موعد التسليم",
    },
    "contract.dispute": {
        "zh": "争议解决",
        "en": "Dispute resolution",
        "ru": "Разрешение споров",
        "ar": "تسوية النزاعات",
    },
    "contract.payment": {"zh": "付款方式", "en": "Payment terms", "ru": "Условия оплаты", "ar": "شروط الدفع"},
    "contract.schedule": {
        "zh": "附表：车辆清单",
        "en": "Schedule: list of vehicles",
        "ru": "Приложение: перечень транспортных средств",
        "ar": "الجدول: قائمة المركبات",
    },
    "contract.text_zh": {
        "zh": "中文文本",
        "en": "Chinese text",
        "ru": "Текст на китайском языке",
        "ar": "النص الصيني",
    },
    "contract.text_foreign": {
        "zh": "外文文本",
        "en": "English text",
        "ru": "Текст на русском языке",
        "ar": "النص العربي",
    },
    "contract.sign_seller": {
        "zh": "卖方（盖章）",
        "en": "Seller (seal)",
        "ru": "Продавец (печать)",
        "ar": "البائع (الختم)",
    },
    "contract.sign_buyer": {
        "zh": "买方（签字）",
        "en": "Buyer (signature)",
        "ru": "Покупатель (подпись)",
        "ar": "المشتري (التوقيع)",
    },
    "contract.c_goods": {
        "zh": "第一条 货物：卖方向买方出售附表所列二手车（商品状态：旧）。每辆车的品牌、型号、车辆识别代号（VIN）和"
        "注册登记日期与其《机动车登记证书》记载一致；车辆已办理转让登记，公安机关交通管理部门已在《机动车登记证书》上"
        "签注“转让待出口”。",
        "en": "Article 1 Goods: The Seller sells to the Buyer the used vehicles listed in the Schedule (condition: "
        "used). The brand, model, vehicle identification number (VIN) and registration date of each vehicle are as "
        "recorded in its Motor Vehicle Registration Certificate; each vehicle has been transfer-registered and the "
        'traffic administration has annotated its certificate "transferred, pending export" (转让待出口).',
        "ru": "Статья 1. Товар: Продавец продаёт Покупателю подержанные автомобили, перечисленные в Приложении "
        "(состояние: бывшие в употреблении). Марка, модель, идентификационный номер (VIN) и дата регистрации каждого "
        "автомобиля соответствуют его свидетельству о регистрации транспортного средства; каждый автомобиль "
        "перерегистрирован, и дорожная полиция сделала в свидетельстве отметку «передан для экспорта» (转让待出口).",
        "ar": "المادة 1 – البضاعة: يبيع البائع إلى المشتري السيارات المستعملة المدرجة في الجدول (الحالة: مستعملة). "
        "وتطابق العلامة التجارية والطراز ورقم تعريف المركبة (VIN) وتاريخ التسجيل لكل مركبة ما هو مدوَّن في شهادة "
        "تسجيلها، وقد سُجِّل نقل ملكية كل مركبة ووضعت إدارة المرور على شهادتها تأشيرة «منقولة بانتظار التصدير» (转让待出口).",
    },
    "contract.c_quantity": {
        "zh": "第二条 数量与价格：共{count}辆；合同总价{total} {currency}（{term} {place}）；单价见附表。",
        "en": "Article 2 Quantity and price: {count} vehicles in total; total contract price {total} {currency} "
        "({term} {place}); unit prices as in the Schedule.",
        "ru": "Статья 2. Количество и цена: всего {count} шт.; общая цена контракта {total} {currency} "
        "({term} {place}); цены за единицу указаны в Приложении.",
        "ar": "المادة 2 – الكمية والسعر: عدد المركبات {count}؛ السعر الإجمالي للعقد {total} {currency} "
        "({term} {place})؛ وأسعار الوحدات مبيَّنة في الجدول.",
    },
    "contract.c_term": {
        "zh": "第三条 贸易术语：{term} {place}，按国际商会《国际贸易术语解释通则》（Incoterms® 2020）解释。",
        "en": "Article 3 Trade term: {term} {place}, interpreted under the ICC Incoterms® 2020 rules.",
        "ru": "Статья 3. Условия поставки: {term} {place} в толковании Правил ICC Incoterms® 2020.",
        "ar": "المادة 3 – شرط التجارة: {term} {place}، ويُفسَّر وفق قواعد غرفة التجارة الدولية Incoterms® 2020.",
    },
    "contract.c_payment": {
        "zh": "第四条 付款方式：{payment}",
        "en": "Article 4 Payment: {payment}",
        "ru": "Статья 4. Оплата: {payment}",
        "ar": "المادة 4 – الدفع: {payment}",
    },
    "contract.c_delivery": {
        "zh": "第五条 交货：卖方应于{date}前按上述贸易术语交货；目的国为{destination}。",
        "en": "Article 5 Delivery: The Seller delivers under the above trade term by {date}; the destination country "
        "is {destination}.",
        "ru": "Статья 5. Поставка: Продавец осуществляет поставку на указанных условиях не позднее {date}; страна "
        "назначения — {destination}.",
        "ar": "المادة 5 – التسليم: يسلِّم البائع البضاعة وفق شرط التجارة المذكور في موعد أقصاه {date}؛ وبلد المقصد هو "
        "{destination}.",
    },
    "contract.c_quality": {
        "zh": "第六条 质量与检验：每辆车出口前经第三方检测机构逐车检测合格（一车一检），乘用车按{ref:wmt-8-2022}"
        "《二手乘用车出口质量要求》，商用车及挂车按{ref:wmt-9-2022}《二手商用车辆及挂车出口质量要求》；检测报告编号见附表。",
        "en": "Article 6 Quality and inspection: Before export each vehicle has passed an individual test by a "
        'third-party testing body (one test per vehicle): passenger cars under {ref:wmt-8-2022} "Export quality '
        'requirements for used passenger cars", commercial vehicles and trailers under {ref:wmt-9-2022}; report numbers '
        "are in the Schedule.",
        "ru": "Статья 6. Качество и проверка: перед экспортом каждый автомобиль прошёл индивидуальную проверку в "
        "независимой испытательной организации (одна проверка на автомобиль): легковые автомобили — по {ref:wmt-8-2022} "
        "«Требования к качеству экспортируемых подержанных легковых автомобилей», коммерческие ТС и прицепы — по "
        "{ref:wmt-9-2022}; номера отчётов указаны в Приложении.",
        "ar": "المادة 6 – الجودة والفحص: اجتازت كل مركبة قبل التصدير فحصاً فردياً لدى جهة فحص مستقلة (فحص واحد لكل "
        "مركبة): سيارات الركاب وفق المعيار {ref:wmt-8-2022} «متطلبات جودة تصدير سيارات الركاب المستعملة»، والمركبات "
        "التجارية والمقطورات وفق {ref:wmt-9-2022}؛ وأرقام التقارير مبيَّنة في الجدول.",
    },
    "contract.c_aftersales": {
        "zh": "第七条 售后服务：卖方负责为本合同项下车辆在{destination}提供售后维修服务。海外售后服务网点：{outlet}；"
        "地址：{address}；服务提供方：{provider}。对注册登记日期至出口许可证申请日期不满{aftersales.window_days}天（含{aftersales.window_days}天）的车辆，卖方"
        "须取得车辆生产企业出具并加盖公章的《售后维修服务确认书》，载明出口目的国、每辆车的车辆识别代号和海外售后服务"
        "网点（依据：{ref:mofcom-2025-648}；商务部《{title:mofcom-guideline-2025-12-11}》，{issued:mofcom-guideline-2025-12-11}）。",
        "en": "Article 7 After-sales service: The Seller is responsible for after-sales repair and maintenance "
        "service for the vehicles under this contract in {destination}. Overseas service outlet: {outlet}; address: "
        "{address}; service provider: {provider}. For every vehicle whose export licence application falls {aftersales.window_days} days "
        "or fewer ({aftersales.window_days} included) after its registration date, the Seller obtains the manufacturer's sealed "
        "After-sales Maintenance Service Confirmation stating the destination country, the VIN of every vehicle and "
        "the overseas service outlet (basis: {ref:mofcom-2025-648}; MOFCOM {title:mofcom-guideline-2025-12-11}, "
        "{issued:mofcom-guideline-2025-12-11}).",
        "ru": "Статья 7. Послепродажное обслуживание: Продавец обеспечивает послепродажный ремонт и техническое "
        "обслуживание автомобилей по настоящему контракту в стране назначения: {destination}. Зарубежный сервисный "
        "пункт: {outlet}; адрес: {address}; поставщик услуг: {provider}. Для каждого автомобиля, заявка на экспортную "
        "лицензию которого подаётся не позднее {aftersales.window_days} дн. (включительно) после даты регистрации, Продавец получает "
        "заверенное печатью изготовителя Подтверждение послепродажного обслуживания с указанием страны назначения, "
        "VIN каждого автомобиля и зарубежного сервисного пункта (основание: {ref:mofcom-2025-648}; "
        "руководство MOFCOM для предприятий {ref:mofcom-guideline-2025-12-11}).",
        "ar": "المادة 7 – خدمة ما بعد البيع: يتولى البائع تقديم خدمات الإصلاح والصيانة بعد البيع للمركبات موضوع هذا "
        "العقد في بلد المقصد: {destination}. مركز الخدمة في الخارج: {outlet}؛ العنوان: {address}؛ مقدِّم الخدمة: "
        "{provider}. وبالنسبة لكل مركبة يُقدَّم طلب رخصة تصديرها خلال {aftersales.window_days} يوماً أو أقل (بما فيها اليوم الأخير) من "
        "تاريخ تسجيلها، يحصل البائع على «تأكيد خدمة الصيانة بعد البيع» الصادر عن الشركة المصنِّعة والمختوم بختمها "
        "الرسمي، والمتضمِّن بلد المقصد ورقم تعريف كل مركبة (VIN) ومركز الخدمة في الخارج (السند: الإشعار "
        "{ref:mofcom-2025-648}؛ دليل وزارة التجارة الصينية للمؤسسات {ref:mofcom-guideline-2025-12-11}).",
    },
    "contract.c_documents": {
        "zh": "第八条 单据：卖方提供商业发票、装箱单和每辆车的检测报告，并凭出口许可证办理出口报关；FOB、CIF项下另提供提单。",
        "en": "Article 8 Documents: The Seller provides the commercial invoice, the packing list and each vehicle's "
        "test report, and clears the goods for export under the export licence; under FOB and CIF also the bill of "
        "lading.",
        "ru": "Статья 8. Документы: Продавец предоставляет коммерческий инвойс, упаковочный лист и отчёт об "
        "испытаниях каждого автомобиля и оформляет экспорт по экспортной лицензии; при FOB и CIF — также коносамент.",
        "ar": "المادة 8 – المستندات: يقدِّم البائع الفاتورة التجارية وقائمة التعبئة وتقرير الفحص لكل مركبة، ويُنهي "
        "التخليص الجمركي للتصدير بموجب رخصة التصدير؛ وفي حالتي FOB وCIF يقدِّم أيضاً سند الشحن.",
    },
    "contract.c_language": {
        "zh": "第九条 文本：本合同以中文和{language}书就，两种文本具有同等效力；如有不一致，以中文文本为准。",
        "en": "Article 9 Language: This contract is made in Chinese and English; both texts are equally authentic; "
        "if they differ, the Chinese text prevails.",
        "ru": "Статья 9. Язык: Настоящий контракт составлен на китайском и русском языках; оба текста имеют "
        "одинаковую силу; в случае расхождений преимущественную силу имеет текст на китайском языке.",
        "ar": "المادة 9 – اللغة: حُرِّر هذا العقد باللغتين الصينية والعربية، وللنصَّين الحجية ذاتها؛ وفي حال الاختلاف "
        "يُعتمد النص الصيني.",
    },
    "contract.c_dispute": {
        "zh": "第十条 争议解决：{dispute}",
        "en": "Article 10 Disputes: {dispute}",
        "ru": "Статья 10. Разрешение споров: {dispute}",
        "ar": "المادة 10 – تسوية النزاعات: {dispute}",
    },
    "pay.tt_in_advance": {
        "zh": "买方于装运前以电汇（T/T）支付100%货款。",
        "en": "The Buyer pays 100% of the price by telegraphic transfer (T/T) before shipment.",
        "ru": "Покупатель оплачивает 100% цены банковским переводом (T/T) до отгрузки.",
        "ar": "يدفع المشتري 100% من الثمن بحوالة مصرفية (T/T) قبل الشحن.",
    },
    "pay.tt_deposit": {
        "zh": "买方于合同签订后以电汇（T/T）支付{percent}%定金，余款于装运前付清。",
        "en": "The Buyer pays a {percent}% deposit by T/T after signing and the balance before shipment.",
        "ru": "Покупатель вносит предоплату {percent}% банковским переводом (T/T) после подписания, остаток — до отгрузки.",
        "ar": "يدفع المشتري عربوناً بنسبة {percent}% بحوالة مصرفية (T/T) بعد التوقيع، ويسدِّد الباقي قبل الشحن.",
    },
    "pay.lc_at_sight": {
        "zh": "买方开立以卖方为受益人的不可撤销即期信用证（L/C）。",
        "en": "The Buyer opens an irrevocable letter of credit at sight (L/C) in favour of the Seller.",
        "ru": "Покупатель открывает безотзывный аккредитив с оплатой по предъявлении (L/C) в пользу Продавца.",
        "ar": "يفتح المشتري اعتماداً مستندياً غير قابل للإلغاء يُدفع عند الاطلاع (L/C) لصالح البائع.",
    },
    # -- invoice
    "invoice.number": {"zh": "发票号", "en": "Invoice No.", "ru": "№ инвойса", "ar": "رقم الفاتورة"},
    "invoice.date": {"zh": "发票日期", "en": "Invoice date", "ru": "Дата инвойса", "ar": "تاريخ الفاتورة"},
    "invoice.origin": {
        "zh": "原产国",
        "en": "Country of origin",
        "ru": "Страна происхождения",
        "ar": "بلد المنشأ",
    },
    "invoice.amount": {"zh": "金额", "en": "Amount", "ru": "Сумма", "ar": "المبلغ"},
    # -- dossier
    "dossier.s_exporter": {"zh": "出口企业", "en": "Exporter", "ru": "Экспортёр", "ar": "المُصدِّر"},
    "dossier.s_identity": {
        "zh": "车辆信息",
        "en": "Vehicle identity",
        "ru": "Данные транспортного средства",
        "ar": "بيانات المركبة",
    },
    "dossier.s_verdict": {
        "zh": "筛查结论",
        "en": "Screening verdict",
        "ru": "Результат проверки",
        "ar": "نتيجة الفحص",
    },
    "dossier.verdict": {"zh": "结论", "en": "Verdict", "ru": "Заключение", "ar": "النتيجة"},
    "dossier.s_findings": {
        "zh": "发现及依据",
        "en": "Findings and sources",
        "ru": "Замечания и источники",
        "ar": "الملاحظات والمصادر",
    },
    "dossier.s_deadlines": {"zh": "期限", "en": "Deadlines", "ru": "Сроки", "ar": "المواعيد النهائية"},
    "dossier.s_documents": {
        "zh": "已有单证",
        "en": "Documents held",
        "ru": "Имеющиеся документы",
        "ar": "المستندات المتوفرة",
    },
    "dossier.s_audit": {
        "zh": "审计记录",
        "en": "Audit history",
        "ru": "Журнал изменений",
        "ar": "سجل التدقيق",
    },
    "dossier.fuel": {"zh": "燃料种类", "en": "Fuel", "ru": "Тип топлива", "ar": "نوع الوقود"},
    "dossier.body": {"zh": "车身形式", "en": "Body type", "ru": "Тип кузова", "ar": "نوع الهيكل"},
    "dossier.displacement": {"zh": "排量", "en": "Displacement", "ru": "Рабочий объём", "ar": "سعة المحرك"},
    "dossier.battery": {
        "zh": "电池容量",
        "en": "Battery capacity",
        "ru": "Ёмкость батареи",
        "ar": "سعة البطارية",
    },
    "dossier.power": {"zh": "功率", "en": "Power", "ru": "Мощность", "ar": "القدرة"},
    "dossier.seats": {"zh": "核定载客", "en": "Seats", "ru": "Число мест", "ar": "عدد المقاعد"},
    "dossier.factory_date": {
        "zh": "出厂日期",
        "en": "Date of manufacture",
        "ru": "Дата выпуска",
        "ar": "تاريخ الصنع",
    },
    "dossier.owner": {
        "zh": "机动车所有人",
        "en": "Registered owner",
        "ru": "Владелец",
        "ar": "المالك المسجَّل",
    },
    "dossier.china_spec": {
        "zh": "中规车",
        "en": "China-spec",
        "ru": "Китайская спецификация",
        "ar": "مواصفات صينية",
    },
    "dossier.rule": {"zh": "规则", "en": "Rule", "ru": "Правило", "ar": "القاعدة"},
    "dossier.severity": {"zh": "严重程度", "en": "Severity", "ru": "Степень", "ar": "الدرجة"},
    "dossier.message_zh": {
        "zh": "说明（中文）",
        "en": "Message (Chinese)",
        "ru": "Сообщение (кит.)",
        "ar": "الرسالة (بالصينية)",
    },
    "dossier.message_en": {
        "zh": "说明（英文）",
        "en": "Message (English)",
        "ru": "Сообщение (англ.)",
        "ar": "الرسالة (بالإنجليزية)",
    },
    "dossier.reference": {"zh": "依据", "en": "Source", "ru": "Источник", "ar": "المصدر"},
    "dossier.confidence": {"zh": "可信度", "en": "Confidence", "ru": "Достоверность", "ar": "درجة الموثوقية"},
    "dossier.deadline": {"zh": "期限类型", "en": "Deadline", "ru": "Срок", "ar": "الموعد"},
    "dossier.due": {"zh": "到期日", "en": "Due", "ru": "Дата", "ar": "تاريخ الاستحقاق"},
    "dossier.owner_matches": {
        "zh": "登记证书所有人为出口企业",
        "en": "Certificate owner is the exporter",
        "ru": "Владелец по свидетельству — экспортёр",
        "ar": "مالك الشهادة هو المُصدِّر",
    },
    "dossier.test_body": {
        "zh": "检测机构",
        "en": "Testing body",
        "ru": "Испытательная организация",
        "ar": "جهة الفحص",
    },
    "dossier.test_date": {"zh": "检测日期", "en": "Test date", "ru": "Дата испытания", "ar": "تاريخ الفحص"},
    "dossier.test_result": {
        "zh": "检测结论",
        "en": "Test result",
        "ru": "Результат испытания",
        "ar": "نتيجة الفحص",
    },
    "dossier.aftersales_needed": {
        "zh": "须《售后维修服务确认书》",
        "en": "After-sales confirmation required",
        "ru": "Требуется подтверждение послепродажного обслуживания",
        "ar": "مطلوب تأكيد خدمة ما بعد البيع",
    },
    "dossier.aftersales_held": {
        "zh": "已取得确认书",
        "en": "Confirmation held",
        "ru": "Подтверждение получено",
        "ar": "التأكيد متوفر",
    },
    "dossier.aftersales_ref": {
        "zh": "确认书编号",
        "en": "Confirmation reference",
        "ru": "Номер подтверждения",
        "ar": "مرجع التأكيد",
    },
    "dossier.when": {"zh": "时间", "en": "When", "ru": "Когда", "ar": "الوقت"},
    "dossier.who": {"zh": "操作人", "en": "Who", "ru": "Кто", "ar": "المستخدم"},
    "dossier.what": {"zh": "事项", "en": "What", "ru": "Что", "ar": "الإجراء"},
    "dossier.before": {"zh": "变更前", "en": "Before", "ru": "До", "ar": "قبل"},
    "dossier.after": {"zh": "变更后", "en": "After", "ru": "После", "ar": "بعد"},
    "verdict.eligible": {"zh": "可出口", "en": "Eligible", "ru": "Допускается", "ar": "مؤهَّلة"},
    "verdict.action_required": {
        "zh": "需补办",
        "en": "Action required",
        "ru": "Требуются действия",
        "ar": "تتطلب إجراءً",
    },
    "verdict.blocked": {"zh": "不可出口", "en": "Blocked", "ru": "Запрещено", "ar": "محظورة"},
    "verdict.invalid": {
        "zh": "数据无效",
        "en": "Invalid data",
        "ru": "Неверные данные",
        "ar": "بيانات غير صالحة",
    },
    "verdict.not_screened": {"zh": "未筛查", "en": "Not screened", "ru": "Не проверено", "ar": "لم تُفحص"},
    "severity.invalid": {"zh": "无效", "en": "Invalid", "ru": "Недопустимо", "ar": "غير صالح"},
    "severity.block": {"zh": "阻断", "en": "Block", "ru": "Блокирует", "ar": "مانع"},
    "severity.action": {"zh": "需处理", "en": "Action", "ru": "Действие", "ar": "إجراء"},
    "severity.advice": {"zh": "提示", "en": "Advice", "ru": "Рекомендация", "ar": "نصيحة"},
    "result.pass": {"zh": "合格", "en": "Pass", "ru": "Соответствует", "ar": "ناجح"},
    "result.fail": {"zh": "不合格", "en": "Fail", "ru": "Не соответствует", "ar": "راسب"},
    # deadline kinds of shared/spec/rule-catalog.md
    "deadline.filing_review_due": {
        "zh": "备案审核期限",
        "en": "Filing review due",
        "ru": "Срок рассмотрения регистрации",
        "ar": "موعد مراجعة التسجيل",
    },
    "deadline.filing_expiry": {
        "zh": "备案到期",
        "en": "Filing expiry",
        "ru": "Окончание регистрации",
        "ar": "انتهاء التسجيل",
    },
    "deadline.licence_review_due": {
        "zh": "许可证审核期限",
        "en": "Licence review due",
        "ru": "Срок рассмотрения лицензии",
        "ar": "موعد مراجعة الرخصة",
    },
    "deadline.licence_expiry": {
        "zh": "许可证到期",
        "en": "Licence expiry",
        "ru": "Окончание лицензии",
        "ar": "انتهاء الرخصة",
    },
    "deadline.temp_plate_expiry": {
        "zh": "临时号牌到期",
        "en": "Temporary plate expiry",
        "ru": "Окончание временного номера",
        "ar": "انتهاء اللوحة المؤقتة",
    },
    "deadline.aftersales_window_end": {
        "zh": "{aftersales.window_days}天期满",
        "en": "End of the {aftersales.window_days}-day window",
        "ru": "Окончание {aftersales.window_days}-дневного срока",
        "ar": "نهاية مهلة {aftersales.window_days} يوماً",
    },
    "deadline.scrap_export_cutoff": {
        "zh": "报废前出口截止",
        "en": "Export cut-off before scrapping",
        "ru": "Крайний срок экспорта до утилизации",
        "ar": "آخر موعد للتصدير قبل الإتلاف",
    },
    "deadline.deregistration_due": {
        "zh": "注销登记期限",
        "en": "Deregistration due",
        "ru": "Срок снятия с учёта",
        "ar": "موعد إلغاء التسجيل",
    },
}


CATALOGUE: dict[str, dict[str, str]] = {**_OFFICIAL, **_SHARED}


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a message."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def t(key: str, lang: str, **params: object) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in.

    Legal numbers and citations are not written in the catalogue: a text names them as law fields
    (``{aftersales.window_days}``, ``{ref:mofcom-2025-648}``; :mod:`chuhai.lawbook.texts`), filled from
    the law in force as stated on the date ``law_on`` (a keyword; default: today).

    A key or language that is not in the catalogue is a programming error and raises ``KeyError``:
    a document must never fall back silently to another language.
    """
    text = CATALOGUE[key][lang]
    law_on = params.pop("law_on", None)
    if has_law_fields(text):
        from chuhai.documents import _common  # the documents' law (tests read an edited one through it)

        on = law_on if isinstance(law_on, dt.date) else None
        text = _common.law().fill(text, lang, on, where=f"document message {key!r}")
    return text.format(**params) if params or "{" in text else text


def bi(key: str) -> str:
    """Chinese and English on two lines (headers of the Chinese data sheets)."""
    return f"{t(key, 'zh')}\n{t(key, 'en')}"


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError) as exc:
        raise ValidationError(f"unknown language {lang!r}") from exc


def country_name(code: str, lang: str) -> str:
    """A country's name in ``lang`` (CLDR), e.g. ``country_name("AE", "zh") == "阿拉伯联合酋长国"``."""
    name = _locale(lang).territories.get(code.upper())
    if name is None:
        raise ValidationError(f"unknown country code {code!r} (expected ISO 3166 alpha-2)")
    return str(name)


def language_name(lang: str, in_lang: str) -> str:
    """A language's name in ``in_lang``, e.g. ``language_name("ru", "zh") == "俄语"``."""
    return str(_locale(in_lang).languages[lang])


def _check_catalogue() -> None:
    """Every entry has its languages and the same placeholders as its Chinese text (checked at import)."""
    overlap = set(_OFFICIAL) & set(_SHARED)
    if overlap:
        raise AssertionError(f"message keys in both tables: {sorted(overlap)}")
    for table, langs in ((_OFFICIAL, OFFICIAL_LANGS), (_SHARED, TRADE_LANGS)):
        for key, texts in table.items():
            if set(texts) != set(langs):
                raise AssertionError(f"message {key!r}: languages {sorted(texts)}, expected {list(langs)}")
            reference = placeholders(texts["zh"])
            for lang, text in texts.items():
                if not placeholders(text) <= reference:
                    raise AssertionError(
                        f"message {key!r} ({lang}): placeholders differ from the Chinese text"
                    )


_check_catalogue()
