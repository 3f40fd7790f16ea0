package demo

import (
	"fmt"

	"github.com/shopspring/decimal"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The sales and service centre (销售服务中心) of the demo zone, run through
// the customs services like the logistics centre: a bonded warehouse
// enterprise keeps a TW book whose stock enters on a first-line list through
// the gate; it trades some of the goods on bonded display (保税展示交易,
// DisplayService) under a type-C form with a guarantee, and stores the
// goods a cross-border e-commerce shop sells to consumers under 1210
// (网购保税进口, EcommerceService) through a platform. Names, codes, people
// and addresses are fictional but well-formed.

// shopPlatform is the e-commerce platform: a principal linked to the shop.
type shopPlatform struct {
	Principal string
	Name      string
	Code      string // ebpCode, the platform's customs code
}

// shopSKU is a part number (料号) of the warehouse book the shop sells.
type shopSKU struct {
	Part  string
	Line  *bookLine
	Name  string          // as sold
	Price decimal.Decimal // retail price per declared unit, CNY
}

// shopBuyer is a consumer (订购人), with a well-formed 身份证 number.
type shopBuyer struct {
	Key     string // short label in the report
	Name    string
	ID      string
	Phone   string
	Address string
}

func (b *shopBuyer) person() *customsv1.Person {
	return &customsv1.Person{Name: b.Name, IdNumber: b.ID, Phone: b.Phone, Address: b.Address}
}

func (b *shopBuyer) consignee() *customsv1.Person {
	return &customsv1.Person{Name: b.Name, Phone: b.Phone, Address: b.Address}
}

// salesCast is the sales and service centre.
type salesCast struct {
	// Yuncang keeps the warehouse book and runs the display trading;
	// Yefeng is the e-commerce enterprise (跨境电商企业境内代理人), the
	// guarantor of its tax (担保扣税企业).
	Yuncang, Yefeng *customsEnterprise
	Platform        shopPlatform
	W               *customsBook
	SKUs            []*shopSKU
	Buyers          map[string]*shopBuyer
	// PayCode and LogisticsCode are the payment and logistics enterprises'
	// codes on the payment slips and waybills.
	PayCode, LogisticsCode string
}

func (c *salesCast) sku(part string) *shopSKU {
	for _, s := range c.SKUs {
		if s.Part == part {
			return s
		}
	}
	panic(fmt.Sprintf("demo: no SKU %s", part))
}

// idCheck is the check character of an 18-character 身份证 number (GB 11643,
// ISO 7064 MOD 11-2) over its first 17 digits.
func idCheck(first17 string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}

// idNumber builds a 身份证 number from the region, the birth date and a
// sequence (odd for men, even for women), with its check character.
func idNumber(region, birth, seq string) string {
	s := region + birth + seq
	if len(s) != 17 {
		panic(fmt.Sprintf("demo: ID number body %q", s))
	}
	return s + string(idCheck(s))
}

func newSalesCast() *salesCast {
	c := &salesCast{PayCode: "4601961208", LogisticsCode: "4601980033"}
	c.Yuncang = &customsEnterprise{
		USCC: makeUSCC("460100", "MA5TYW83"), CustomsNo: "4601360083",
		Name: "海口综保云仓供应链有限公司", Principal: "yuncang", ShortLabel: "云仓供应链", Prefix: "YW",
		Centre: "销售服务 bonded warehouse for e-commerce, display trading (customs services)",
	}
	c.Yefeng = &customsEnterprise{
		USCC: makeUSCC("460100", "MA5TYF92"), CustomsNo: "4601960092",
		Name: "海南椰风跨境电子商务有限公司", Principal: "yefeng", ShortLabel: "椰风跨境",
		Centre: "销售服务 cross-border e-commerce enterprise (1210), guarantor of its tax",
	}
	c.Platform = shopPlatform{Principal: "yefeng-mall", Name: "椰风海淘 (cross-border platform)", Code: "4601960105"}
	c.W = &customsBook{No: "T4601W000318", Kind: customsv1.BookKind_BOOK_KIND_LOGISTICS, Owner: c.Yuncang, Office: customsOffice}
	c.W.Lines = []*bookLine{
		{Seq: 1, HS: "1901101000", Name: "婴幼儿配方奶粉（800克/罐）", Short: "奶粉", Spec: "800克/罐，2段", Unit: "007", UnitName: "个", Scale: 0,
			Legal: "035", LegalName: "千克", Factor: d("0.8"), Country: "NLD", Price: d("150.00"), Sale: d("268.00"), GrossPer: d("1.05"), NetPer: d("0.8")},
		{Seq: 2, HS: "3304990099", Name: "护肤品（面霜，50克/瓶）", Short: "面霜", Spec: "50克/瓶", Unit: "007", UnitName: "个", Scale: 0,
			Legal: "035", LegalName: "千克", Factor: d("0.05"), Country: "FRA", Price: d("210.00"), Sale: d("395.00"), GrossPer: d("0.09"), NetPer: d("0.05")},
		{Seq: 3, HS: "1006300000", Name: "大米（茉莉香米）", Short: "大米", Spec: "5千克/袋", Unit: "035", UnitName: "千克", Scale: 3,
			Legal: "035", LegalName: "千克", Factor: d("1"), Country: "THA", Price: d("9.50"), Sale: d("20.00"), GrossPer: d("1.02"), NetPer: d("1")},
		{Seq: 4, HS: "8471300000", Name: "笔记本电脑", Short: "笔记本", Spec: "14英寸/16英寸", Unit: "001", UnitName: "台", Scale: 0,
			Legal: "001", LegalName: "台", Factor: d("1"), Country: "KOR", Price: d("3200.00"), Sale: d("4990.00"), GrossPer: d("2.6"), NetPer: d("1.6")},
		{Seq: 5, HS: "8525890000", Name: "数码相机", Short: "相机", Spec: "全画幅微单", Unit: "001", UnitName: "台", Scale: 0,
			Legal: "001", LegalName: "台", Factor: d("1"), Country: "JPN", Price: d("4200.00"), Sale: d("6800.00"), GrossPer: d("1.5"), NetPer: d("0.9")},
		{Seq: 6, HS: "2208300000", Name: "威士忌（700毫升/瓶）", Short: "威士忌", Spec: "700毫升/瓶，43%vol", Unit: "142", UnitName: "瓶", Scale: 0,
			Legal: "095", LegalName: "升", Factor: d("0.7"), Country: "GBR", Price: d("210.00"), Sale: d("298.00"), GrossPer: d("1.45"), NetPer: d("0.67")},
	}
	for _, l := range c.W.Lines {
		l.Book, l.Type = c.W, customsv1.GoodsType_GOODS_TYPE_MATERIAL
	}
	sku := func(part string, seq int32, name, price string) *shopSKU {
		return &shopSKU{Part: part, Line: c.W.line(seq), Name: name, Price: d(price)}
	}
	c.SKUs = []*shopSKU{
		sku("YF-MILK-800", 1, "荷兰婴幼儿奶粉 2段 800g", "268.00"),
		sku("YF-CREAM-50", 2, "法国保湿面霜 50g", "395.00"),
		sku("YF-RICE-KG", 3, "泰国茉莉香米（按千克）", "20.00"),
		sku("YF-NB-14", 4, "轻薄笔记本 14英寸", "2799.00"),
		sku("YF-NB-16P", 4, "高性能笔记本 16英寸", "4990.00"),
		sku("YF-NB-16X", 4, "旗舰笔记本 16英寸 顶配", "5399.00"),
		sku("YF-WHISKY-700", 6, "苏格兰单一麦芽威士忌 700ml", "298.00"),
	}
	c.Buyers = map[string]*shopBuyer{}
	for _, b := range []struct{ key, name, region, birth, seq, phone, addr string }{
		{"A", "陈思琪", "310115", "19880512", "124", "13816200418", "上海市浦东新区锦绣路1080弄12号601室"},
		{"B", "王浩然", "110105", "19910307", "031", "13911027356", "北京市朝阳区望京西园三区314号楼902"},
		{"C", "李雨桐", "440305", "19930921", "208", "13760531289", "广东省深圳市南山区科技南十二路18号"},
		{"D", "张明轩", "330106", "19850614", "117", "13588170652", "浙江省杭州市西湖区文三路259号"},
		{"E", "刘佳怡", "510107", "19960202", "046", "13980632714", "四川省成都市武侯区天府大道北段1700号"},
		{"F", "赵子墨", "460106", "19870830", "015", "13976045521", "海南省海口市龙华区滨海大道77号"},
		{"F2", "孙晓雯", "460106", "19890411", "028", "13976045532", "海南省海口市龙华区滨海大道77号"},
		{"G", "周文博", "320106", "19900115", "093", "13851736620", "江苏省南京市鼓楼区中山北路30号"},
		{"G2", "吴静", "320106", "19920708", "062", "13851736684", "江苏省南京市鼓楼区中山北路30号"},
		{"H", "郑一鸣", "420106", "19841123", "155", "13907141865", "湖北省武汉市武昌区中北路88号"},
		{"I", "黄子涵", "350203", "19950529", "087", "13906056213", "福建省厦门市思明区湖滨南路90号"},
		{"J", "林俊辉", "450103", "19860318", "101", "13807716529", "广西南宁市青秀区民族大道136号"},
		{"K", "何欣然", "500103", "19970805", "034", "13883270415", "重庆市渝中区民权路28号"},
		{"M", "马骁", "610113", "19831009", "173", "13991283306", "陕西省西安市雁塔区高新路52号"},
		{"N", "许诺", "370202", "19940612", "048", "13953286117", "山东省青岛市市南区香港中路40号"},
		{"P", "冯佳琪", "210202", "19920224", "066", "13804116652", "辽宁省大连市中山区人民路23号"},
		{"Q", "高远", "120101", "19890917", "137", "13820175548", "天津市和平区南京路189号"},
		{"R", "宋雨萱", "430104", "19980430", "022", "13907314486", "湖南省长沙市岳麓区麓山南路932号"},
		{"S", "唐浩", "530102", "19870106", "159", "13888051273", "云南省昆明市五华区东风西路11号"},
		{"T", "韩梅", "230103", "19910820", "084", "13904513365", "黑龙江省哈尔滨市南岗区西大直街92号"},
	} {
		c.Buyers[b.key] = &shopBuyer{Key: b.key, Name: b.name, ID: idNumber(b.region, b.birth, b.seq), Phone: b.phone, Address: b.addr}
	}
	return c
}

// salesPrincipals are the centre's principals, created by the admin like the
// demo's others: the warehouse enterprise, the e-commerce enterprise (it
// reads its settlement as the guarantor) and the platform linked to it.
func salesPrincipals(c *salesCast) []principalDef {
	return []principalDef{
		c.Yuncang.principal("bonded warehouse (TW book " + c.W.No + ") of the shop's goods; display trading under a type-C form"),
		c.Yefeng.principal("cross-border e-commerce enterprise (1210); guarantor: reads its tax settlement"),
		{ID: c.Platform.Principal, Name: c.Platform.Name, Role: "platform", Linked: []*enterprise{{USCC: c.Yefeng.USCC}},
			Purpose: "sends the shop's orders, payment slips and waybills (三单); applies for returns"},
	}
}
