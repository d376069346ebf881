"""The seed facts behind the demo, as plain tables (the builder in `build.py` turns them into rows).

Sources are the articles in the shared `seeds/` folder: 000 (经济日报 2020: 109 counties in 17 provinces, 54 paired now,
326 schools, 140 hospitals), 001 (深圳市社科院 2021: the history by year), 002 (粤黔协作 2023), 003 (深圳帮扶汕尾 2020:
200 poor villages, 110 paired) and 004 (中新网 2021: 南山区 → 德保县). Where the seeds give no name, code, date or
assignment, the demo makes one up and says so in the record's notes with SYNTHETIC.

Division codes down to county level are the national table's (GB/T 2260, loaded by a migration); each is written
with its current name and the builder refuses to run if the table disagrees. Township and village codes (12 digits)
are made up, in the statistical code's shape: county code, three digits of township (0xx 街道, 1xx 镇, 2xx 乡), three
of village (0xx 社区, 2xx 村).
"""

from datetime import date
from typing import NamedTuple

from bangfu.core.roles import Role
from bangfu.pairing.models import PairingKind as K

SYNTHETIC = "合成数据(synthetic)"

# Which figures the seed scale holds; `full` adds volume (households, projects) once those modules exist.
SCALES = ("seed", "full")


class Body(NamedTuple):
    """A government body that acts for its division (its code names it)."""

    code: str
    name: str


class Pair(NamedTuple):
    """A pairing of a helper body (named by the code of the division it acts for) with a prefecture or county."""

    helper: str
    code: str
    name: str
    kind: str
    start: date
    end: date | None = None
    notes: str = ""


GUANGDONG = Body("440000", "广东省")
SHENZHEN = Body("440300", "深圳市")
# The ten districts of seed 001 are these nine and 大鹏新区, a functional area without a division code of its own.
SHENZHEN_DISTRICTS = [
    Body("440303", "罗湖区"),
    Body("440304", "福田区"),
    Body("440305", "南山区"),
    Body("440306", "宝安区"),
    Body("440307", "龙岗区"),
    Body("440308", "盐田区"),
    Body("440309", "龙华区"),
    Body("440310", "坪山区"),
    Body("440311", "光明区"),
]
# Seed 002: the six Guangdong cities working with Guizhou (besides 深圳, which works with Guangxi).
GUANGDONG_CITIES = [
    Body("440100", "广州市"),
    Body("440400", "珠海市"),
    Body("440600", "佛山市"),
    Body("441300", "惠州市"),
    Body("441900", "东莞市"),
    Body("442000", "中山市"),
]

NANSHAN = "440305"
DEBAO = "451024"
SHANWEI = "441500"

# Shenzhen's coordination office (seed 000) and municipal bureaus that sent village teams to 汕尾 (seed 001: 324
# cadres as first secretaries in 河源 and 汕尾). The bureaus are real; which village each helps is made up.
SHENZHEN_OFFICE = "深圳市扶贫协作和合作交流办公室"
SHENZHEN_BUREAUS = [
    "深圳市发展和改革委员会",
    "深圳市教育局",
    "深圳市工业和信息化局",
    "深圳市公安局",
    "深圳市财政局",
    "深圳市人力资源和社会保障局",
    "深圳市规划和自然资源局",
    "深圳市住房和建设局",
    "深圳市交通运输局",
    "深圳市水务局",
    "深圳市卫生健康委员会",
    "深圳市市场监督管理局",
]

# --- Shenzhen's pairings with prefectures (the city itself is the helper) -------------------------------------------
# Ended pairings end before 2017; active ones have no end date.
PREFECTURE_PAIRINGS = [
    Pair("440300", "441400", "梅州市", K.IN_PROVINCE, date(1990, 1, 1), date(2012, 12, 31),
         f"seed 000/001: 1990年首次结对帮扶梅州; 结束日期为{SYNTHETIC}"),
    Pair("440300", "540400", "林芝市", K.COUNTERPART, date(1994, 1, 1), None,
         "seed 001: 1994年对口支援林芝地区(今林芝市)"),
    Pair("440300", "520500", "毕节市", K.EAST_WEST, date(1996, 1, 1), date(2016, 8, 31),
         f"seed 001: 1996年东西部扶贫协作(时为毕节地区); 结束日期为{SYNTHETIC}"),
    Pair("440300", "522700", "黔南布依族苗族自治州", K.EAST_WEST, date(1996, 1, 1), date(2016, 8, 31),
         f"seed 001: 1996年东西部扶贫协作; 结束日期为{SYNTHETIC}"),
    Pair("440300", "650500", "哈密市", K.COUNTERPART, date(1997, 1, 1), date(2010, 6, 30),
         f"seed 000: 1990-2012年帮扶新疆哈密(时为哈密地区); 起止日期为{SYNTHETIC}"),
    Pair("440300", "653100", "喀什地区", K.COUNTERPART, date(2010, 1, 1), None, "seed 001: 2010年对口支援新疆"),
    Pair("440300", "441500", "汕尾市", K.IN_PROVINCE, date(2013, 1, 1), None, "seed 003: 2013年开始对口帮扶汕尾"),
    Pair("440300", "441600", "河源市", K.IN_PROVINCE, date(2013, 1, 1), None,
         f"seed 000/001: 河源前方指挥部; 起始日期为{SYNTHETIC}"),
    Pair("440300", "513300", "甘孜藏族自治州", K.COUNTERPART, date(2014, 1, 1), None, "seed 001: 2014年对口支援甘孜州"),
    Pair("440300", "451000", "百色市", K.EAST_WEST, date(2016, 9, 1), None, "seed 001/004: 2016年9月起帮扶百色、河池"),
    Pair("440300", "451200", "河池市", K.EAST_WEST, date(2016, 9, 1), None, "seed 001/004: 2016年9月起帮扶百色、河池"),
    Pair("440300", "530600", "昭通市", K.EAST_WEST, date(2017, 1, 1), None,
         f"seed 001: 招收2000名昭通贫困生; 结对类别与日期为{SYNTHETIC}"),
]

# --- Pairings with counties -----------------------------------------------------------------------------------------
# Together: 109 counties in 17 provinces, of which 54 are still paired (seed 000). Seeds name the pairs marked
# "seed"; the rest are SYNTHETIC choices of real counties in the provinces the seeds name, plus 黑龙江 for the 17th.
_GX = date(2016, 9, 1)  # 粤桂扶贫协作 (seed 001, 004)
_GX_NOTE = "seed 001: 深圳重点帮扶百色、河池所辖17个贫困县"
_GX_SYN = f"{_GX_NOTE}; 区县对应关系为{SYNTHETIC}"
_GX_MORE = f"携手促振兴扩展至非贫困县: {SYNTHETIC}"
_GD = date(2016, 1, 1)  # Guangdong's 2016-2020 round of in-province pairing
_GD_SYN = f"省内对口帮扶; 区县对应关系与日期为{SYNTHETIC}"

ACTIVE_COUNTY_PAIRINGS = [
    # 广西: the 17 poor counties of 百色 and 河池 (seed 001), then six more from 2021.
    Pair("440305", "451024", "德保县", K.EAST_WEST, _GX, None, "seed 004: 南山区对口帮扶德保县"),
    Pair("440307", "451081", "靖西市", K.EAST_WEST, _GX, None, "seed 000: 龙岗区对口帮扶靖西市"),
    Pair("440306", "451228", "都安瑶族自治县", K.EAST_WEST, _GX, None, "seed 000: 宝安区对口扶贫协作都安、大化"),
    Pair("440306", "451229", "大化瑶族自治县", K.EAST_WEST, _GX, None, "seed 000: 宝安区对口扶贫协作都安、大化"),
    Pair("440304", "451003", "田阳区", K.EAST_WEST, _GX, None, _GX_SYN),
    Pair("440304", "451022", "田东县", K.EAST_WEST, _GX, None, _GX_SYN),
    Pair("440304", "451226", "环江毛南族自治县", K.EAST_WEST, _GX, None, _GX_SYN),
    Pair("440303", "451026", "那坡县", K.EAST_WEST, _GX, None, _GX_SYN),
    Pair("440303", "451027", "凌云县", K.EAST_WEST, _GX, None, _GX_SYN),
    Pair("440303", "451227", "巴马瑶族自治县", K.EAST_WEST, _GX, None, _GX_SYN),
    Pair("440308", "451028", "乐业县", K.EAST_WEST, _GX, None, _GX_SYN),
    Pair("440309", "451029", "田林县", K.EAST_WEST, _GX, None, _GX_SYN),
    Pair("440309", "451030", "西林县", K.EAST_WEST, _GX, None, _GX_SYN),
    Pair("440310", "451031", "隆林各族自治县", K.EAST_WEST, _GX, None, _GX_SYN),
    Pair("440310", "451223", "凤山县", K.EAST_WEST, _GX, None, _GX_SYN),
    Pair("440311", "451224", "东兰县", K.EAST_WEST, _GX, None, _GX_SYN),
    Pair("440311", "451225", "罗城仫佬族自治县", K.EAST_WEST, _GX, None, _GX_SYN),
    Pair("440304", "451002", "右江区", K.EAST_WEST, date(2021, 3, 1), None, _GX_MORE),
    Pair("440303", "451082", "平果市", K.EAST_WEST, date(2021, 3, 1), None, _GX_MORE),
    Pair("440309", "451202", "金城江区", K.EAST_WEST, date(2021, 3, 1), None, _GX_MORE),
    Pair("440310", "451203", "宜州区", K.EAST_WEST, date(2021, 3, 1), None, _GX_MORE),
    Pair("440311", "451221", "南丹县", K.EAST_WEST, date(2021, 3, 1), None, _GX_MORE),
    Pair("440308", "451222", "天峨县", K.EAST_WEST, date(2021, 3, 1), None, _GX_MORE),
    # 河源 (seed 000: 南山区 → 连平县) and 汕尾 (seed 003), in-province.
    Pair("440305", "441623", "连平县", K.IN_PROVINCE, _GD, None, f"seed 000: 南山区帮扶连平县; 起始日期为{SYNTHETIC}"),
    Pair("440304", "441624", "和平县", K.IN_PROVINCE, _GD, None, _GD_SYN),
    Pair("440303", "441622", "龙川县", K.IN_PROVINCE, _GD, None, _GD_SYN),
    Pair("440307", "441621", "紫金县", K.IN_PROVINCE, _GD, None, _GD_SYN),
    Pair("440306", "441625", "东源县", K.IN_PROVINCE, _GD, None, _GD_SYN),
    Pair("440309", "441602", "源城区", K.IN_PROVINCE, _GD, None, _GD_SYN),
    Pair("440308", "441502", "城区", K.IN_PROVINCE, _GD, None, _GD_SYN),
    Pair("440310", "441521", "海丰县", K.IN_PROVINCE, _GD, None, _GD_SYN),
    Pair("440311", "441523", "陆河县", K.IN_PROVINCE, _GD, None, _GD_SYN),
    Pair("440307", "441581", "陆丰市", K.IN_PROVINCE, _GD, None, _GD_SYN),
    # 新疆 (seed 000/001: 喀什市, 塔县), then 西藏, 四川, 云南, 黑龙江: the city itself helps.
    Pair("440300", "653101", "喀什市", K.COUNTERPART, date(2010, 1, 1), None, "seed 000/001: 对口支援喀什市"),
    Pair("440300", "653131", "塔什库尔干塔吉克自治县", K.COUNTERPART, date(2010, 1, 1), None,
         "seed 001: 援建塔县人民医院"),
    Pair("440300", "540423", "墨脱县", K.COUNTERPART, date(1994, 1, 1), None, "seed 001: 先后帮扶林芝地区和墨脱县"),
    Pair("440300", "540425", "察隅县", K.COUNTERPART, date(1994, 1, 1), None, "seed 001: 援建察隅县人民医院"),
    Pair("440300", "540421", "工布江达县", K.COUNTERPART, date(2016, 1, 1), None, SYNTHETIC),
    Pair("440300", "540424", "波密县", K.COUNTERPART, date(2016, 1, 1), None, SYNTHETIC),
    Pair("440300", "540426", "朗县", K.COUNTERPART, date(2016, 1, 1), None, SYNTHETIC),
    Pair("440300", "540481", "米林市", K.COUNTERPART, date(2016, 1, 1), None, SYNTHETIC),
    Pair("440300", "513332", "石渠县", K.COUNTERPART, date(2014, 1, 1), None,
         "seed 001: 2014年对口支援石渠、德格、甘孜县"),
    Pair("440300", "513330", "德格县", K.COUNTERPART, date(2014, 1, 1), None,
         "seed 001: 2014年对口支援石渠、德格、甘孜县"),
    Pair("440300", "513328", "甘孜县", K.COUNTERPART, date(2014, 1, 1), None,
         "seed 001: 2014年对口支援石渠、德格、甘孜县"),
    Pair("440300", "513333", "色达县", K.COUNTERPART, date(2021, 1, 1), None, SYNTHETIC),
    Pair("440300", "513331", "白玉县", K.COUNTERPART, date(2021, 1, 1), None, SYNTHETIC),
    Pair("440300", "513329", "新龙县", K.COUNTERPART, date(2021, 1, 1), None, SYNTHETIC),
    Pair("440300", "513327", "炉霍县", K.COUNTERPART, date(2021, 1, 1), None, SYNTHETIC),
    Pair("440300", "513334", "理塘县", K.COUNTERPART, date(2021, 1, 1), None, SYNTHETIC),
    Pair("440300", "513335", "巴塘县", K.COUNTERPART, date(2021, 1, 1), None, SYNTHETIC),
    Pair("440300", "530627", "镇雄县", K.EAST_WEST, date(2017, 1, 1), None, SYNTHETIC),
    Pair("440300", "530628", "彝良县", K.EAST_WEST, date(2017, 1, 1), None, SYNTHETIC),
    Pair("440300", "530629", "威信县", K.EAST_WEST, date(2017, 1, 1), None, SYNTHETIC),
    Pair("440300", "230109", "松北区", K.COUNTERPART, date(2017, 1, 1), None,
         f"seed 000: 深圳(哈尔滨)产业园; 以此县区补足17个省份, {SYNTHETIC}"),
]

_OLD = f"seed 000: 1990-2012年间完成帮扶; 县区与起止日期为{SYNTHETIC}"
_OLD_GD = (date(1998, 1, 1), date(2012, 12, 31))
_OLD_AREAS = (date(2000, 1, 1), date(2012, 12, 31))
_BIJIE = (date(1996, 1, 1), date(2016, 8, 31))
_BIJIE_NOTE = f"seed 001: 1996年起帮扶毕节、黔南; 县区与结束日期为{SYNTHETIC}"

ENDED_COUNTY_PAIRINGS = [
    # 广东省内: 梅州 (1990, seed 000/001), 清远, 茂名, 韶关, 肇庆 (seed 000).
    *(Pair("440300", code, name, K.IN_PROVINCE, date(1990, 1, 1), date(2012, 12, 31), _OLD) for code, name in [
        ("441402", "梅江区"), ("441403", "梅县区"), ("441422", "大埔县"), ("441423", "丰顺县"), ("441424", "五华县"),
        ("441426", "平远县"), ("441427", "蕉岭县"), ("441481", "兴宁市")]),
    *(Pair("440300", code, name, K.IN_PROVINCE, *_OLD_GD, _OLD) for code, name in [
        ("441823", "阳山县"), ("441825", "连山壮族瑶族自治县"), ("441826", "连南瑶族自治县"),
        ("440981", "高州市"), ("440983", "信宜市"),
        ("440222", "始兴县"), ("440232", "乳源瑶族自治县"), ("440233", "新丰县"),
        ("441224", "怀集县"), ("441225", "封开县"), ("441226", "德庆县")]),
    # 新疆哈密 (seed 000), under its current codes.
    *(Pair("440300", code, name, K.COUNTERPART, date(1997, 1, 1), date(2010, 6, 30), _OLD) for code, name in [
        ("650502", "伊州区"), ("650521", "巴里坤哈萨克自治县"), ("650522", "伊吾县")]),
    # 贵州: 黔东南 (seed 000), 毕节 and 黔南 (seed 001, 1996).
    *(Pair("440300", code, name, K.EAST_WEST, date(1996, 1, 1), date(2012, 12, 31), _OLD) for code, name in [
        ("522632", "榕江县"), ("522633", "从江县"), ("522634", "雷山县")]),
    *(Pair("440300", code, name, K.EAST_WEST, *_BIJIE, _BIJIE_NOTE) for code, name in [
        ("520502", "七星关区"), ("520521", "大方县"), ("520581", "黔西市"), ("520523", "金沙县"), ("520524", "织金县"),
        ("520525", "纳雍县"), ("520526", "威宁彝族回族苗族自治县"), ("520527", "赫章县"),
        ("522722", "荔波县"), ("522723", "贵定县"), ("522725", "瓮安县"), ("522726", "独山县"), ("522727", "平塘县"),
        ("522728", "罗甸县"), ("522729", "长顺县"), ("522732", "三都水族自治县")]),
    # Disaster reconstruction (汶川 2008, 玉树 2010) and the other places seed 000 names for 1990-2012.
    Pair("440300", "513221", "汶川县", K.COUNTERPART, date(2008, 6, 1), date(2011, 12, 31), _OLD),
    Pair("440300", "632701", "玉树市", K.COUNTERPART, date(2010, 6, 1), date(2012, 12, 31), _OLD),
    Pair("440300", "422823", "巴东县", K.COUNTERPART, date(1994, 1, 1), date(2012, 12, 31), _OLD),
    Pair("440300", "500101", "万州区", K.COUNTERPART, date(1994, 1, 1), date(2012, 12, 31), _OLD),
    *(Pair("440300", code, name, K.COUNTERPART, *_OLD_AREAS, _OLD) for code, name in [
        ("421122", "红安县"), ("360881", "井冈山市"), ("430382", "韶山市"), ("610621", "延长县"), ("610622", "延川县"),
        ("621022", "环县"), ("341525", "霍山县"), ("640422", "西吉县"), ("640423", "隆德县")]),
    # 林芝县 (542621, since 2015 巴宜区) was the first county of the 1994 Tibet aid.
    Pair("440300", "540402", "巴宜区", K.COUNTERPART, date(1994, 1, 1), date(2001, 12, 31),
         f"seed 001: 1994年对口支援林芝地区, 时为林芝县(542621); 县区与结束日期为{SYNTHETIC}"),
]

# --- Guangdong → Guizhou (seed 002): six cities, the eight prefectures -----------------------------------------------
_GZ = date(2021, 1, 1)
GUIZHOU_PAIRINGS = [
    Pair("440100", "520500", "毕节市", K.EAST_WEST, _GZ, None, "seed 002: 广州帮助毕节培育劳务品牌"),
    Pair("440100", "522700", "黔南布依族苗族自治州", K.EAST_WEST, _GZ, None,
         "seed 002: 广州为独山、三都、罗甸购买防返贫险"),
    Pair("440100", "520400", "安顺市", K.EAST_WEST, _GZ, None,
         f"seed 002: 越秀集团在毕节、黔南、安顺投资; {SYNTHETIC}"),
    Pair("440400", "520300", "遵义市", K.EAST_WEST, _GZ, None, "seed 002: 珠海协作遵义"),
    Pair("440600", "522600", "黔东南苗族侗族自治州", K.EAST_WEST, _GZ, None, "seed 002: 佛山配合帮扶台江"),
    Pair("441300", "522300", "黔西南布依族苗族自治州", K.EAST_WEST, _GZ, None, "seed 002: 惠州支持兴仁市、普安县"),
    Pair("441900", "520600", "铜仁市", K.EAST_WEST, _GZ, None, "seed 002: 东莞·铜仁万企兴万村"),
    Pair("442000", "520200", "六盘水市", K.EAST_WEST, _GZ, None, "seed 002: 中山协作六盘水市水城区"),
]

# --- 德保县 (seed 004): 12 townships, 89 poor villages, 55 of them paired by 62 units of 南山区 ---------------------
# (name, township code digits, poor villages, of which paired, other villages)
DEBAO_TOWNSHIPS = [
    ("城关镇", "100", 10, 7, 2),
    ("隆桑镇", "101", 8, 5, 2),
    ("敬德镇", "102", 8, 5, 2),
    ("足荣镇", "103", 8, 5, 2),
    ("马隘镇", "104", 7, 5, 2),
    ("东凌镇", "105", 7, 5, 2),
    ("那甲镇", "106", 7, 4, 2),
    ("都安乡", "200", 7, 4, 2),
    ("荣华乡", "201", 7, 4, 2),
    ("燕峒乡", "202", 7, 4, 2),
    ("龙光乡", "203", 7, 4, 2),
    ("巴头乡", "204", 6, 3, 2),
]
# Villages seed 004 names (携手奔小康 star projects); their townships are made up.
DEBAO_NAMED_VILLAGES = ["那温村", "老坡村"]
# Syllables for made-up Zhuang-style village names (那, 陇, 弄 … are common first syllables in 德保).
DEBAO_VILLAGE_SYLLABLES = ("那陇弄巴板念多者伏古岜坡都百六果", "温亮布坤甲荣隆桑敬合龙定峒华光安凌兰乐平明圩烈造感磨排")

# 南山区's 7 streets and 32 communities (seed 004); names of real streets and communities, codes made up.
NANSHAN_STREETS = [
    ("南头街道", ["南头城社区", "田厦社区", "同乐社区", "大新社区", "星海名城社区"]),
    ("南山街道", ["南园社区", "向南社区", "北头社区", "南山社区", "荔林社区"]),
    ("沙河街道", ["白石洲社区", "华侨城社区", "沙河社区", "香山社区"]),
    ("蛇口街道", ["渔一社区", "渔二社区", "湾厦社区", "东角头社区", "水湾社区"]),
    ("粤海街道", ["科技园社区", "深大社区", "大冲社区", "高新区社区"]),
    ("桃源街道", ["桃源社区", "龙珠社区", "平山社区", "福光社区"]),
    ("西丽街道", ["西丽社区", "大磡社区", "留仙社区", "麻磡社区", "白芒社区"]),
]
# 23 enterprises (seed 004: "湾企入德"); names and credit codes made up.
NANSHAN_ENTERPRISE_COUNT = 23
ENTERPRISE_BRANDS = ["南德", "湾德", "鹏德", "深桂", "粤德", "德湾", "携德", "同德", "鹏桂", "湾桂", "蓝德", "海德"]
ENTERPRISE_TRADES = ["科技", "电子", "实业", "供应链", "农业发展", "信息技术", "新能源", "医疗器械", "文化传播", "物流"]

HAND_IN_HAND_STARTS = {"street": date(2017, 6, 1), "community": date(2018, 1, 1), "enterprise": date(2018, 6, 1)}

# 21 school and hospital pairs with 德保 (seed 004). Recipient: (name, township or None for the county seat).
NANSHAN_SCHOOLS = ["深圳市南山区蛇口育才教育集团", "南方科技大学教育集团(南山)", "深圳市南山区文理实验学校(集团)"]
NANSHAN_HOSPITALS = [
    "深圳市南山区人民医院", "深圳市南山区蛇口人民医院", "深圳市南山区妇幼保健院", "深圳市南山区西丽人民医院",
]
DEBAO_SCHOOLS = [
    ("德保县南山小学", None), ("德保高级中学", None), ("德保县实验中学", None), ("德保县第二中学", None),
    ("德保县职业技术学校", None), ("德保县实验小学", None), ("德保县定坡移民小区幼儿园", None),
    ("德保县隆桑镇中心小学", "隆桑镇"), ("德保县敬德镇中心小学", "敬德镇"), ("德保县足荣镇中心小学", "足荣镇"),
    ("德保县马隘镇中心小学", "马隘镇"), ("德保县东凌镇中心小学", "东凌镇"), ("德保县那甲镇中心小学", "那甲镇"),
]
DEBAO_HOSPITALS = [
    ("德保县人民医院", None), ("德保县中医医院", None), ("德保县妇幼保健院", None),
    ("德保县隆桑镇卫生院", "隆桑镇"), ("德保县敬德镇卫生院", "敬德镇"), ("德保县足荣镇卫生院", "足荣镇"),
    ("德保县马隘镇卫生院", "马隘镇"), ("德保县东凌镇卫生院", "东凌镇"),
]
# Those of the above that seed 004 names; the others are made up.
DEBAO_SEED_INSTITUTIONS = {"德保县南山小学", "德保县定坡移民小区幼儿园", "德保县人民医院"}
DEBAO_INSTITUTION_STARTS = {"school": date(2017, 9, 1), "hospital": date(2018, 1, 1)}

# --- Schools and hospitals paired by Shenzhen since 2017 (seed 000): 326 and 140, 德保's included ---------------------
SCHOOL_PAIRINGS = 326
HOSPITAL_PAIRINGS = 140
# Recipient institutions elsewhere are named after their county with these (made-up) patterns.
SCHOOL_PATTERNS = ["第一中学", "第二中学", "第三中学", "第一小学", "第二小学", "第三小学", "民族中学", "职业技术学校"]
HOSPITAL_PATTERNS = ["人民医院", "中医医院", "妇幼保健院"]
# Helper institutions are made up too, except those the seeds name.
SHENZHEN_HOSPITALS = ["深圳市妇幼保健院"]  # seed 000: its neonatal care for 喀什市人民医院
INSTITUTION_STARTS = [date(2017, 9, 1), date(2018, 3, 1), date(2018, 9, 1), date(2019, 3, 1), date(2019, 9, 1),
                      date(2020, 3, 1)]
# Counties that get no school or hospital pairs (not a poverty county).
NO_INSTITUTIONS = {"230109"}

# --- 汕尾 (seed 003): 200 poor villages, 110 paired by Shenzhen ------------------------------------------------------
# county: (townships (real names, made-up codes), poor villages, of which paired)
SHANWEI_COUNTIES = {
    "441502": (["香洲街道", "凤山街道", "新港街道", "马宫街道", "东涌镇", "红草镇", "捷胜镇"], 12, 6),
    "441521": (["海城镇", "附城镇", "城东镇", "梅陇镇", "赤坑镇", "可塘镇", "公平镇", "黄羌镇", "平东镇", "陶河镇",
                "联安镇"], 56, 30),
    "441523": (["河田镇", "水唇镇", "螺溪镇", "东坑镇", "上护镇", "河口镇", "新田镇", "南万镇"], 40, 22),
    "441581": (["东海街道", "城东街道", "河西街道", "碣石镇", "甲子镇", "南塘镇", "博美镇", "桥冲镇", "内湖镇",
                "河东镇", "大安镇", "西南镇", "八万镇", "陂洋镇", "金厢镇", "潭西镇", "湖东镇", "上英镇", "甲西镇",
                "甲东镇"], 92, 52),
}
# Seed 003's model villages (乡村振兴示范点): the first villages made get their names, in made-up places.
SHANWEI_NAMED_VILLAGES = ["新山村", "坡平村", "欧田村", "北中村", "东尾村"]
SHANWEI_VILLAGE_SYLLABLES = ("新东西南北上下大小石黄陈林吴洪郑蔡湖溪田", "山坡田中尾围寮埔洋头岭塘厝寨港美仔陂坑墩")
SHANWEI_START = date(2016, 1, 1)

# --- Accounts ------------------------------------------------------------------------------------------------------
# (username, role, helper body code or None, recipient region code or None, what the account is for)
ACCOUNTS = [
    ("admin", None, None, None, "superuser: everything"),
    ("sz", Role.COORDINATION, "440300", None, "深圳市协作办: every Shenzhen pairing and its recipients"),
    ("nanshan", Role.HELPER, "440305", None, "南山区: its units' pairings (德保县, 连平县)"),
    ("debao", Role.COUNTY, None, "451024", "德保县: the county's townships and villages"),
    ("shanwei", Role.COUNTY, None, "441500", "汕尾市: its counties, townships and villages"),
    ("auditor", Role.AUDITOR, None, None, "read-only, everything, personal data masked"),
]
