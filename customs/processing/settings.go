package processing

import "fmt"

// Where the non-bonded part of a material (the part 保税料件比例 leaves) is
// consumed from.
const (
	// NonBondedOutside: the non-bonded material is not kept on the book;
	// a report records its quantity and posts nothing for it.
	NonBondedOutside = "outside"
	// NonBondedOnBook: the non-bonded material is kept on the book beside
	// the bonded (仓储货物按状态分类监管) and consumed from its nonbonded
	// bucket, so it cannot go negative either.
	NonBondedOnBook = "book"
)

// Settings are the processing rules the sources leave open. The reference
// (customs-reference.md §4.3) gives 单耗 = 净耗 / (1 − 工艺损耗率) but not how
// a zone books the non-bonded share of a material nor whether a version
// must be declared before production uses it; each is a setting.
type Settings struct {
	// NonBondedFrom says where the non-bonded share of a material is
	// consumed from: NonBondedOutside (default) or NonBondedOnBook.
	NonBondedFrom string
	// DeclaredVersionsOnly makes production use only declared versions.
	// Default false: under 四自一简 a version is declared before the goods
	// leave or before write-off (GACC 公告2019年第26号), so production may
	// use a draft; using it locks it all the same.
	DeclaredVersionsOnly bool
	// RndBooks says which books keep bonded R&D (projects and uses):
	// RndBooksRnd (default, the reference's working model: a bonded R&D
	// book, kind RND) or RndBooksAny (also zone H books).
	RndBooks string
	// RndUseOutsideTerm lets an R&D use be dated outside its project's
	// term (before its start or after its end). Default false.
	RndUseOutsideTerm bool
	// EntrustedDutiable says what the taxable event of products of a
	// 委托加工 going back to the domestic firm is assessed on:
	// DutiableFeeAndMaterials (default: the processing fee plus the bonded
	// materials used) or DutiableFee (the fee only). [UNCONFIRMED]: the
	// reference names no rule.
	EntrustedDutiable string
}

// DefaultSettings returns the documented defaults.
func DefaultSettings() Settings {
	return Settings{NonBondedFrom: NonBondedOutside, RndBooks: RndBooksRnd, EntrustedDutiable: DutiableFeeAndMaterials}
}

// Check validates the settings; its error names the setting's key in the
// zoneledger config file.
func (s Settings) Check() error {
	switch s.EntrustedDutiable {
	case DutiableFeeAndMaterials, DutiableFee:
	default:
		return fmt.Errorf("processing.entrusted_dutiable: %q is neither %q nor %q", s.EntrustedDutiable, DutiableFeeAndMaterials, DutiableFee)
	}
	switch s.RndBooks {
	case RndBooksRnd, RndBooksAny:
	default:
		return fmt.Errorf("processing.rnd_books: %q is neither %q nor %q", s.RndBooks, RndBooksRnd, RndBooksAny)
	}
	switch s.NonBondedFrom {
	case NonBondedOutside, NonBondedOnBook:
		return nil
	}
	return fmt.Errorf("processing.nonbonded_from: %q is neither %q nor %q", s.NonBondedFrom, NonBondedOutside, NonBondedOnBook)
}
