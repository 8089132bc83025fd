"""The demo site group: 中国九江 and its county-level and department sites.

Division codes are the real administrative codes of 九江's county-level
divisions; identification and filing numbers are well-formed but fictitious.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoSite:
    code: str
    name: str
    kind: str
    division: str  # 6-digit administrative division code
    organiser: str
    operator: str
    address: str
    phone: str
    leader: str
    responsible: str
    area: str  # how the site's articles refer to its own area or office

    @property
    def site_id_code(self):
        # 网站标识码: region prefix + serial. The portal has the classic 3604000003.
        if self.kind == "portal":
            return "3604000003"
        if self.kind == "county":
            return f"{self.division}0001"
        return f"3604{DEPARTMENT_SERIALS[self.code]:06d}"

    @property
    def icp_number(self):
        return "赣ICP备05004431号" if self.kind == "portal" else f"赣ICP备05004431号-{SERIALS[self.code]}"

    @property
    def police_number(self):
        return f"赣公网安备 {self.division}02{SERIALS[self.code]:06d}号"

    @property
    def email(self):
        return f"web_{self.code}@jiujiang.gov.cn"


SITES = [
    DemoSite("jiujiang", "中国九江", "portal", "360400", "九江市人民政府办公室", "九江市大数据中心",
             "江西省九江市濂溪区长虹大道市行政中心", "0792-8582345", "王建国", "刘晓敏", "九江市"),
    DemoSite("xunyang", "浔阳区", "county", "360402", "浔阳区人民政府办公室", "浔阳区融媒体中心",
             "九江市浔阳区浔阳东路 238 号", "0792-8222101", "陈立新", "张晓燕", "浔阳区"),
    DemoSite("lianxi", "濂溪区", "county", "360403", "濂溪区人民政府办公室", "濂溪区融媒体中心",
             "九江市濂溪区十里大道 1 号", "0792-8126666", "周海涛", "李静", "濂溪区"),
    DemoSite("chaisang", "柴桑区", "county", "360404", "柴桑区人民政府办公室", "柴桑区融媒体中心",
             "九江市柴桑区沙河街镇柴桑大道", "0792-6812345", "吴国平", "黄丽", "柴桑区"),
    DemoSite("wuning", "武宁县", "county", "360423", "武宁县人民政府办公室", "武宁县融媒体中心",
             "武宁县豫宁街道沿湖路 1 号", "0792-2782300", "徐明华", "汪芳", "武宁县"),
    DemoSite("xiushui", "修水县", "county", "360424", "修水县人民政府办公室", "修水县融媒体中心",
             "修水县义宁镇良塘新区", "0792-7222111", "冷志强", "樊小红", "修水县"),
    DemoSite("yongxiu", "永修县", "county", "360425", "永修县人民政府办公室", "永修县融媒体中心",
             "永修县涂埠镇建昌大道", "0792-3222333", "杨文斌", "熊艳", "永修县"),
    DemoSite("dean", "德安县", "county", "360426", "德安县人民政府办公室", "德安县融媒体中心",
             "德安县蒲亭镇博阳大道", "0792-4322101", "蔡振华", "袁萍", "德安县"),
    DemoSite("duchang", "都昌县", "county", "360428", "都昌县人民政府办公室", "都昌县融媒体中心",
             "都昌县都昌镇东湖大道", "0792-5222555", "曹建军", "邵琳", "都昌县"),
    DemoSite("hukou", "湖口县", "county", "360429", "湖口县人民政府办公室", "湖口县融媒体中心",
             "湖口县双钟镇石钟大道", "0792-6322000", "沈卫东", "钟慧", "湖口县"),
    DemoSite("pengze", "彭泽县", "county", "360430", "彭泽县人民政府办公室", "彭泽县融媒体中心",
             "彭泽县龙城镇城东新区", "0792-5622111", "欧阳平", "石红梅", "彭泽县"),
    DemoSite("ruichang", "瑞昌市", "county", "360481", "瑞昌市人民政府办公室", "瑞昌市融媒体中心",
             "瑞昌市湓城街道长江大道", "0792-4222888", "程伟", "朱敏", "瑞昌市"),
    DemoSite("gongqingcheng", "共青城市", "county", "360482", "共青城市人民政府办公室", "共青城市融媒体中心",
             "共青城市茶山街道共青大道", "0792-4322666", "廖晓峰", "胡倩", "共青城市"),
    DemoSite("lushan", "庐山市", "county", "360483", "庐山市人民政府办公室", "庐山市融媒体中心",
             "庐山市南康镇庐山大道", "0792-2662345", "罗志勇", "何雪", "庐山市"),
    DemoSite("fgw", "九江市发展和改革委员会", "department", "360400", "九江市发展和改革委员会",
             "九江市发展和改革委员会办公室", "九江市濂溪区长虹大道市行政中心 3 号楼", "0792-8582001",
             "谭国庆", "孙丽华", "市发展改革委"),
    DemoSite("jyj", "九江市教育局", "department", "360400", "九江市教育局", "九江市教育信息技术中心",
             "九江市浔阳区浔阳东路 199 号", "0792-8225612", "邹立平", "吕婷", "市教育局"),
    DemoSite("gaj", "九江市公安局", "department", "360400", "九江市公安局", "九江市公安局科技信息化支队",
             "九江市濂溪区长虹大道 1 号", "0792-8583110", "韩志刚", "郑伟", "市公安局"),
    DemoSite("czj", "九江市财政局", "department", "360400", "九江市财政局", "九江市财政局信息中心",
             "九江市濂溪区长虹大道市行政中心 5 号楼", "0792-8582200", "许长江", "冯雪梅", "市财政局"),
    DemoSite("rsj", "九江市人力资源和社会保障局", "department", "360400", "九江市人力资源和社会保障局",
             "九江市人社信息中心", "九江市濂溪区长虹大道市行政中心 6 号楼", "0792-8582300", "唐建华",
             "蒋红", "市人社局"),
    DemoSite("sthjj", "九江市生态环境局", "department", "360400", "九江市生态环境局",
             "九江市生态环境信息中心", "九江市濂溪区九龙街 8 号", "0792-8569110", "邓永红", "陆佳",
             "市生态环境局"),
    DemoSite("zjj", "九江市住房和城乡建设局", "department", "360400", "九江市住房和城乡建设局",
             "九江市住建信息中心", "九江市濂溪区长虹大道市行政中心 7 号楼", "0792-8582400", "彭东升",
             "范晓丽", "市住房城乡建设局"),
    DemoSite("wjw", "九江市卫生健康委员会", "department", "360400", "九江市卫生健康委员会",
             "九江市卫生健康信息中心", "九江市浔阳区庐山北路 99 号", "0792-8577120", "梁卫民", "田甜",
             "市卫生健康委"),
    DemoSite("jtysj", "九江市交通运输局", "department", "360400", "九江市交通运输局",
             "九江市交通运输信息中心", "九江市濂溪区长虹大道 88 号", "0792-8582500", "贺长林", "潘颖",
             "市交通运输局"),
]

SERIALS = {site.code: index for index, site in enumerate(SITES, start=1)}
DEPARTMENT_SERIALS = {
    site.code: 100 + index for index, site in enumerate(SITES) if site.kind == "department"
}
