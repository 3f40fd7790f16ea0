package codes

// GoodsCategory is the category of processing-trade goods a zone
// enterprise sells to the domestic market (customs-reference §4.4, China
// Customs, "Policy Interpretation on Domestic Sales of Processing Trade
// Goods in Comprehensive Bonded Zones", 2025-08-18): the tax basis and the
// trade mode differ by category.
type GoodsCategory string

// The goods categories of §4.4.
const (
	// CategoryFinished is 成品: finished goods.
	CategoryFinished GoodsCategory = "FINISHED"
	// CategoryDefect is 残次品: defective products, complete or not.
	CategoryDefect GoodsCategory = "DEFECT"
	// CategorySurplus is 剩余料件: surplus materials.
	CategorySurplus GoodsCategory = "SURPLUS_MATERIAL"
	// CategoryScrap is 边角料: leftover bits.
	CategoryScrap GoodsCategory = "SCRAP"
	// CategoryByProduct is 副产品: by-products.
	CategoryByProduct GoodsCategory = "BY_PRODUCT"
	// CategoryDisaster is 受灾保税货物: disaster-hit bonded goods.
	CategoryDisaster GoodsCategory = "DISASTER"
)

var goodsCategoryNames = map[GoodsCategory]string{
	CategoryFinished:  "成品",
	CategoryDefect:    "残次品",
	CategorySurplus:   "剩余料件",
	CategoryScrap:     "边角料",
	CategoryByProduct: "副产品",
	CategoryDisaster:  "受灾保税货物",
}

// Valid reports whether c is one of the GoodsCategory constants.
func (c GoodsCategory) Valid() bool { _, ok := goodsCategoryNames[c]; return ok }

// Name returns the Chinese name of the category, or "" when c is not valid.
func (c GoodsCategory) Name() string { return goodsCategoryNames[c] }

// ScrapTradeMode reports whether trade mode code moves scrap (边角料):
// 0844 / 0845 sold domestically, 0864 / 0865 re-exported, 5200 out of the
// zone to the domestic area (customs-reference §2.1, §4.4).
func ScrapTradeMode(code string) bool {
	switch code {
	case "0844", "0845", "0864", "0865", "5200":
		return true
	}
	return false
}
