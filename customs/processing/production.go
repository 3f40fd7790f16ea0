package processing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// checkReport validates a report's shape and figures against its book
// lines (quantities at each line's scale); it fills in defaults.
func checkReport(r *Report, lines map[int]zone.BookLine) error {
	for i, o := range r.Outputs {
		f := fmt.Sprintf("outputs[%d]", i)
		l, err := goodsLine(lines, r.Book, o.BookSeq, f+".book_seq", "production makes finished or semi-finished goods")
		if err != nil {
			return err
		}
		if err := checkQuantity(o.Quantity, l, f+".quantity", false); err != nil {
			return err
		}
		if o.Category == "" {
			r.Outputs[i].Category = CategoryFinished
			if l.Type == codes.GoodsMaterial {
				r.Outputs[i].Category = CategorySemiFinished
			}
		} else if !o.Category.Valid() {
			return ledger.BadArgument(f+".category", "%q is not a category; use FINISHED, SEMI_FINISHED, DEFECT, SCRAP or BY_PRODUCT", o.Category)
		}
		if o.Version != "" && !r.Outputs[i].Category.consumes() {
			return ledger.Invalid(ReasonWrongBasis, f+".version", "%s consumes nothing by version (its materials were consumed by the goods it came from); leave the version empty", strings.ToLower(string(o.Category)))
		}
		if o.Value.IsNegative() || ledger.Places(o.Value) > ledger.ValueScale {
			return ledger.BadArgument(f+".value", "must be >= 0 CNY to the fen, got %s", o.Value)
		}
		if o.Version != "" {
			if err := checkVersionNo(o.Version, f+".version"); err != nil {
				return err
			}
		}
		if r.Basis == BasisActual && o.Version != "" {
			return ledger.Invalid(ReasonWrongBasis, f+".version", "a report on actual consumption names no version; use basis VERSION to consume by one")
		}
	}
	seen := map[int]bool{}
	for i, m := range r.Materials {
		f := fmt.Sprintf("materials[%d]", i)
		l, ok := lines[m.BookSeq]
		if !ok {
			return lineNotOnBook(r.Book, m.BookSeq, f+".book_seq")
		}
		if l.Type != codes.GoodsMaterial {
			return ledger.Invalid(ReasonWrongLineType, f+".book_seq", "line %d is %s, not a material (料件) line", m.BookSeq, strings.ToLower(string(l.Type)))
		}
		if seen[m.BookSeq] {
			return ledger.BadArgument(f+".book_seq", "material line %d is named twice", m.BookSeq)
		}
		seen[m.BookSeq] = true
		if len(m.Lot) > 64 {
			return ledger.BadArgument(f+".lot", "a lot name has at most 64 characters")
		}
		switch r.Basis {
		case BasisVersion:
			if !m.Quantity.IsZero() || !m.NonBonded.IsZero() || !m.Loss.IsZero() {
				return ledger.Invalid(ReasonWrongBasis, f+".quantity", "a report consuming by version takes its quantities from the version's 单耗; name only the lot, or use basis ACTUAL")
			}
		case BasisActual:
			if err := checkQuantity(m.Quantity, l, f+".quantity", true); err != nil {
				return err
			}
			if err := checkQuantity(m.NonBonded, l, f+".non_bonded", true); err != nil {
				return err
			}
			if err := checkQuantity(m.Loss, l, f+".loss", true); err != nil {
				return err
			}
			if m.Quantity.IsZero() && m.NonBonded.IsZero() {
				return ledger.Invalid(ledger.ReasonNonPositiveQuantity, f+".quantity", "a material consumed has a quantity > 0")
			}
			if m.Loss.GreaterThan(m.Quantity.Add(m.NonBonded)) {
				return ledger.BadArgument(f+".loss", "the process loss %s is more than the %s consumed", m.Loss, m.Quantity.Add(m.NonBonded))
			}
		}
	}
	if r.Basis == BasisActual && len(r.Materials) == 0 {
		return ledger.Invalid(ReasonWrongBasis, "materials", "a report on actual consumption lists the materials consumed")
	}
	return nil
}

// checkQuantity checks a quantity of a line in its declared unit: > 0 (or
// >= 0 when zeroOK) and at the line's scale.
func checkQuantity(q decimal.Decimal, l zone.BookLine, field string, zeroOK bool) error {
	if q.IsNegative() || (!zeroOK && q.IsZero()) {
		return ledger.Invalid(ledger.ReasonNonPositiveQuantity, field, "must be > 0, got %s", q)
	}
	if ledger.Places(q) > l.Scale {
		return ledger.Invalid(ledger.ReasonTooManyDecimals, field, "line %d takes at most %d decimal places (in %s), got %s", l.Seq, l.Scale, l.DeclaredUnit, q)
	}
	return nil
}

// journal builds the report's journal: materials out to the consumed
// world account, the outputs in from production as new lots. fields maps
// each posting to the request field a refusal names.
func (s *Service) journal(r Report, lines map[int]zone.BookLine, pl planned) (ledger.JournalRequest, []string) {
	req := ledger.JournalRequest{Book: r.Book, IdempotencyKey: "production:" + r.Enterprise + ":" + r.InnerNo, EffectiveDate: r.Date,
		Document: ledger.Document{Type: DocumentProduction, Number: r.No}, Principal: r.FiledBy, Metadata: map[string]string{"basis": string(r.Basis)}}
	var fields []string
	lotOf, fieldOf := map[int]string{}, map[int]string{}
	for i, m := range r.Materials {
		lotOf[m.BookSeq] = m.Lot
		fieldOf[m.BookSeq] = fmt.Sprintf("materials[%d]", i)
	}
	for _, c := range r.Consumed {
		l := lines[c.BookSeq]
		f, ok := fieldOf[c.BookSeq]
		if !ok {
			f = fmt.Sprintf("outputs[%d]", pl.firstUse[c.BookSeq])
		}
		item := ledger.ItemRef{Book: r.Book, Code: strconv.Itoa(c.BookSeq)}
		if c.Bonded.IsPositive() {
			req.Postings = append(req.Postings, ledger.Posting{Item: item, From: ledger.In(r.Book, zone.AccountBonded), To: ledger.World(zone.WorldConsumed),
				Quantity: c.Bonded, Unit: l.DeclaredUnit, Lot: lotOf[c.BookSeq]})
			fields = append(fields, f+".quantity")
		}
		if c.NonBonded.IsPositive() && s.nonBondedPosted(r) {
			req.Postings = append(req.Postings, ledger.Posting{Item: item, From: ledger.In(r.Book, s.nonBondedBucket(r)), To: ledger.World(zone.WorldConsumed),
				Quantity: c.NonBonded, Unit: l.DeclaredUnit})
			fields = append(fields, f+".non_bonded")
		}
	}
	to := zone.AccountBonded
	if r.Entrustment != "" {
		to = EntrustedAccount(r.Entrustment)
	}
	for i, o := range r.Outputs {
		attrs := map[string]string{"flow": FlowProduced, "source_report": r.No,
			"entry_date": ledger.FormatDate(r.Date), "enterprise": r.Enterprise, "category": string(o.Category)}
		if r.Entrustment != "" {
			attrs["flow"], attrs["entrustment"] = FlowEntrusted, r.Entrustment
		}
		req.Postings = append(req.Postings, ledger.Posting{Item: ledger.ItemRef{Book: r.Book, Code: strconv.Itoa(o.BookSeq)},
			From: ledger.World(zone.WorldProduction), To: ledger.In(r.Book, to), Quantity: o.Quantity, Unit: lines[o.BookSeq].DeclaredUnit,
			Value: o.Value, Lot: o.Lot, LotAttributes: attrs})
		fields = append(fields, fmt.Sprintf("outputs[%d].quantity", i))
	}
	return req, fields
}

// nonBondedPosted reports whether a report's non-bonded materials are
// taken from a bucket of the book: the domestic firm's of an entrustment,
// or the nonbonded bucket (setting NonBondedFrom).
func (s *Service) nonBondedPosted(r Report) bool {
	return r.Entrustment != "" || s.set.NonBondedFrom == NonBondedOnBook
}

// nonBondedBucket is the bucket a report's non-bonded materials come from.
func (s *Service) nonBondedBucket(r Report) string {
	if r.Entrustment != "" {
		return EntrustedAccount(r.Entrustment)
	}
	return zone.AccountNonBonded
}

// consumedLines turns the per-material consumption into the report's
// lines, by material line.
func consumedLines(m map[int]Consumed) []ConsumedLine {
	out := make([]ConsumedLine, 0, len(m))
	for seq, c := range m {
		out = append(out, ConsumedLine{BookSeq: seq, Bonded: c.Bonded, NonBonded: c.NonBonded, Loss: c.Loss})
	}
	slices.SortFunc(out, func(a, b ConsumedLine) int { return a.BookSeq - b.BookSeq })
	return out
}

// today is the zone's business date now.
func (s *Service) today() time.Time {
	return ledger.DayIn(s.now(), s.zone.Settings().Location)
}

func digest(v any) string {
	sum := sha256.Sum256([]byte(mustJSON(v)))
	return hex.EncodeToString(sum[:])
}

// MaxReportLines bounds a report's outputs and its materials each.
const MaxReportLines = 1000

// journals posts journals inside the transaction of a change: the part
// of ledger.Journals a change uses.
type journals interface {
	PostMany(ctx context.Context, reqs []ledger.JournalRequest) ([]ledger.PostResult, error)
}

// FileReport books a production report: it consumes the materials (by
// the versions in force, or as reported) and makes the outputs as new lots
// produced in the zone, in one journal, with the report. The book's owner
// enterprise files; InnerNo is the idempotency key: filing the same report
// again returns it, another report under the number is refused
// (DUPLICATE_DOCUMENT_NUMBER). A material that would go below zero is
// refused (INSUFFICIENT_BONDED_STOCK, or INSUFFICIENT_STOCK for the
// non-bonded bucket) with the field that asked for it, and nothing is
// booked.
func (s *Service) FileReport(ctx context.Context, p access.Principal, r Report) (Report, error) {
	for range 3 {
		out, err := s.fileReport(ctx, p, r)
		if !errors.Is(err, errLinesChanged) {
			return out, err
		}
	}
	return r, ledger.Errorf(ledger.KindUnavailable, ledger.ReasonUnavailable, "", "the good's versions kept changing under this report; retry")
}

// errLinesChanged says a version named a material line that was not read
// before the report's transaction; the report is prepared again.
var errLinesChanged = errors.New("a version names a line not read yet")

func (s *Service) fileReport(ctx context.Context, p access.Principal, r Report) (Report, error) {
	r.InnerNo, r.Book = strings.TrimSpace(r.InnerNo), strings.TrimSpace(r.Book)
	if r.InnerNo == "" || len(r.InnerNo) > 64 {
		return r, ledger.BadArgument("inner_no", "the enterprise's own report number is required, at most 64 characters")
	}
	if r.Basis == "" {
		r.Basis = BasisVersion
	}
	if r.Basis != BasisVersion && r.Basis != BasisActual {
		return r, ledger.BadArgument("basis", "%q is not a basis; use VERSION or ACTUAL", r.Basis)
	}
	if len(r.Outputs) == 0 || len(r.Outputs) > MaxReportLines {
		return r, ledger.BadArgument("outputs", "a report makes 1 to %d output lines", MaxReportLines)
	}
	if len(r.Materials) > MaxReportLines {
		return r, ledger.BadArgument("materials", "a report names at most %d materials", MaxReportLines)
	}
	var err error
	if r.Date, err = s.documentDate(r.Date, "report"); err != nil {
		return r, err
	}
	b, err := s.writeBook(ctx, p, r.Book)
	if err != nil {
		return r, err
	}
	var seqs []int
	for _, o := range r.Outputs {
		seqs = append(seqs, o.BookSeq)
	}
	for _, m := range r.Materials {
		seqs = append(seqs, m.BookSeq)
	}
	// Every line the report may touch is read before its transaction, so
	// that the transaction holds one connection and reads nothing through
	// the pool: the materials of every version of the goods made.
	if r.Basis == BasisVersion {
		rows, err := s.pool.Query(ctx, `SELECT body FROM proc_versions WHERE book = $1 AND finished_seq = ANY($2)`, r.Book, seqs[:len(r.Outputs)])
		if err != nil {
			return r, dbError(err)
		}
		vs, err := pgx.CollectRows(rows, scanVersion)
		if err != nil {
			return r, dbError(err)
		}
		for _, v := range vs {
			for _, n := range v.Norms {
				seqs = append(seqs, n.MaterialSeq)
			}
		}
	}
	lines, err := s.lines(ctx, p, r.Book, seqs)
	if err != nil {
		return r, err
	}
	if err := checkReport(&r, lines); err != nil {
		return r, err
	}
	h := r
	h.No, h.Enterprise, h.FiledBy, h.CreatedAt, h.JournalIDs, h.InputHash, h.Consumed = "", "", "", time.Time{}, nil, "", nil
	r.InputHash = digest(h)
	var out Report
	err = s.readWrite(ctx, func(ctx context.Context, tx pgx.Tx, j journals) error {
		old, found, err := reportByInner(ctx, tx, b.Enterprise, r.InnerNo)
		if err != nil || found {
			if err == nil && old.InputHash != r.InputHash {
				err = ledger.Conflict(zone.ReasonDuplicateDocument, "inner_no", "number %s was already used for production report %s; use a new number", r.InnerNo, old.No)
			}
			out = old
			return err
		}
		c := r
		c.Outputs = slices.Clone(r.Outputs)
		c.Enterprise, c.FiledBy, c.CreatedAt = b.Enterprise, p.ID, s.clock()
		if c.Entrustment != "" {
			if _, err := entrustmentFor(ctx, tx, c); err != nil {
				return err
			}
		}
		if c.No, err = nextNumber(ctx, tx, "SC", c.Book, c.Date); err != nil {
			return err
		}
		for i := range c.Outputs {
			c.Outputs[i].Lot = c.No + "-" + strconv.Itoa(i+1)
		}
		pl := planned{consumed: map[int]Consumed{}, firstUse: map[int]int{}}
		var used []Version
		if c.Basis == BasisVersion {
			if pl, used, err = s.planVersions(ctx, tx, &c, lines); err != nil {
				return err
			}
		} else {
			for _, m := range c.Materials {
				pl.consumed[m.BookSeq] = Consumed{Bonded: m.Quantity, NonBonded: m.NonBonded, Loss: m.Loss}
			}
		}
		c.Consumed = consumedLines(pl.consumed)
		req, fields := s.journal(c, lines, pl)
		reqs := split(req)
		results, err := j.PostMany(ctx, reqs)
		if err != nil {
			return err
		}
		var postings []ledger.Posting
		for k, res := range results {
			if res.Err != nil {
				return refusal(res.Err, k*ledger.MaxPostings, req, fields)
			}
			c.JournalIDs = append(c.JournalIDs, res.Journal.ID)
			postings = append(postings, res.Journal.Postings...)
		}
		k := 0
		for i := range c.Consumed {
			if c.Consumed[i].Bonded.IsPositive() {
				for _, g := range postings[k].Legs {
					c.Consumed[i].Lots = append(c.Consumed[i].Lots, zone.LotQuantity{Lot: g.Lot, Quantity: g.Quantity})
				}
				k++
			}
			if c.Consumed[i].NonBonded.IsPositive() && s.nonBondedPosted(c) {
				k++
			}
		}
		if c.Entrustment != "" {
			if err := addBondedValue(ctx, tx, c, req, postings); err != nil {
				return err
			}
		}
		for _, cl := range c.Consumed {
			lots := make([]string, len(cl.Lots))
			for i, l := range cl.Lots {
				lots[i] = l.Lot
			}
			if err := s.zone.MarkLotsConsumed(ctx, tx, c.Book, cl.BookSeq, lots, c.No); err != nil {
				return err
			}
		}
		if err := saveTotals(ctx, tx, c.Book, pl.totals); err != nil {
			return err
		}
		if err := markUsed(ctx, tx, used, c.No, c.Date); err != nil {
			return err
		}
		seq, err := zone.TakeChange(ctx, tx, c.Book)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO proc_reports (no, enterprise, inner_no, book, body, created_at, change_seq) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			c.No, c.Enterprise, c.InnerNo, c.Book, mustJSON(c), c.CreatedAt, seq); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, dbError(err)
}

// planVersions finds the version each output consumes by (the one in force
// on the report's date, locked against change), the totals before, and
// plans the consumption. It fills in each output's version.
func (s *Service) planVersions(ctx context.Context, tx pgx.Tx, r *Report, lines map[int]zone.BookLine) (planned, []Version, error) {
	byGood := map[int]Version{}
	var goods []int
	seen := map[int]bool{}
	for _, o := range r.Outputs {
		if !o.Category.consumes() {
			continue
		}
		if !seen[o.BookSeq] {
			seen[o.BookSeq] = true
			goods = append(goods, o.BookSeq)
		}
	}
	// One query, rows locked in key order, for every good of the report.
	rows, err := tx.Query(ctx, `SELECT body FROM proc_versions WHERE book = $1 AND finished_seq = ANY($2) ORDER BY finished_seq, effective_date FOR UPDATE`, r.Book, goods)
	if err != nil {
		return planned{}, nil, err
	}
	all, err := pgx.CollectRows(rows, scanVersion)
	if err != nil {
		return planned{}, nil, err
	}
	versionsOf := map[int][]Version{}
	for _, v := range all {
		versionsOf[v.FinishedSeq] = append(versionsOf[v.FinishedSeq], v)
	}
	goods = goods[:0]
	var idx []int
	var outs []Output
	var versions []Version
	for i, o := range r.Outputs {
		if !o.Category.consumes() {
			continue
		}
		v, ok := byGood[o.BookSeq]
		if !ok {
			f := fmt.Sprintf("outputs[%d].version", i)
			var err error
			if v, err = inForce(versionsOf[o.BookSeq], r.Book, o.BookSeq, r.Date, o.Version, f); err != nil {
				return planned{}, nil, err
			}
			if s.set.DeclaredVersionsOnly && v.Status != VersionDeclared {
				return planned{}, nil, ledger.Precondition(ReasonNoVersionInForce, f, "version %s of line %d is not declared; this zone consumes only by declared versions: declare it first", v.Version, o.BookSeq)
			}
			byGood[o.BookSeq] = v
			goods = append(goods, o.BookSeq)
		} else if o.Version != "" && o.Version != v.Version {
			return planned{}, nil, ledger.Precondition(ReasonNoVersionInForce, fmt.Sprintf("outputs[%d].version", i), "version %s of line %d is in force on %s, not version %s", v.Version, o.BookSeq, ledger.FormatDate(r.Date), o.Version)
		}
		r.Outputs[i].Version = v.Version
		idx, outs, versions = append(idx, i), append(outs, r.Outputs[i]), append(versions, v)
	}
	var missing []int
	for _, v := range byGood {
		for _, n := range v.Norms {
			if _, ok := lines[n.MaterialSeq]; !ok {
				missing = append(missing, n.MaterialSeq)
			}
		}
	}
	if len(missing) > 0 {
		// A version was filed after the lines were read: read again.
		return planned{}, nil, errLinesChanged
	}
	before, err := loadTotals(ctx, tx, r.Book, goods)
	if err != nil {
		return planned{}, nil, err
	}
	pl := planByVersion(outs, versions, before, func(seq int) int32 { return lines[seq].Scale })
	for m, k := range pl.firstUse {
		pl.firstUse[m] = idx[k]
	}
	used := make([]Version, 0, len(goods))
	for _, g := range goods {
		used = append(used, byGood[g])
	}
	return pl, used, nil
}

// refusal turns the ledger's refusal of a report's journal into the
// report's: the field the posting came from, and the zone's reasons for
// stock that would go below zero.
func refusal(err error, offset int, req ledger.JournalRequest, fields []string) error {
	le := ledger.AsError(err)
	if le.Kind == ledger.KindInternal || le.Kind == ledger.KindUnavailable {
		return err
	}
	out := *le
	var idx int
	if _, e := fmt.Sscanf(le.Field, "postings[%d]", &idx); e == nil && idx+offset < len(fields) {
		idx += offset
		out.Field = fields[idx]
		if le.Reason == ledger.ReasonInsufficient {
			out.Reason = zone.ReasonInsufficientStock
			if req.Postings[idx].From.Name == zone.AccountBonded {
				out.Reason = zone.ReasonInsufficientBonded
			}
		}
	}
	return &out
}

// reportByInner finds a report by its enterprise's own number.
func reportByInner(ctx context.Context, q querier, enterprise, innerNo string) (Report, bool, error) {
	return documentBy[Report](ctx, q, "proc_reports", `enterprise = $1 AND inner_no = $2`, enterprise, innerNo)
}

// nextNumber issues the next number of a kind of document of a book and
// year: prefix ("SC" reports, "XH" destructions) + book + 2-digit year +
// 7-digit sequence. Each book counts on its own, so documents of different
// books never wait for each other.
func nextNumber(ctx context.Context, tx pgx.Tx, prefix, book string, day time.Time) (string, error) {
	key := fmt.Sprintf("%s%s%02d", prefix, book, day.Year()%100)
	var n int64
	err := tx.QueryRow(ctx, `INSERT INTO proc_counters (prefix, last) VALUES ($1, 1) ON CONFLICT (prefix) DO UPDATE SET last = proc_counters.last + 1 RETURNING last`, key).Scan(&n)
	return fmt.Sprintf("%s%07d", key, n), err
}

// loadTotals returns, locked, the totals so far of a book's goods.
func loadTotals(ctx context.Context, tx pgx.Tx, book string, goods []int) (map[totalKey]total, error) {
	rows, err := tx.Query(ctx, `SELECT finished_seq, version, material_seq, finished, bonded, nonbonded, loss FROM proc_totals WHERE book = $1 AND finished_seq = ANY($2) FOR UPDATE`, book, goods)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[totalKey]total{}
	for rows.Next() {
		var k totalKey
		var t total
		if err := rows.Scan(&k.Finished, &k.Version, &k.Material, &t.Finished, &t.Consumed.Bonded, &t.Consumed.NonBonded, &t.Consumed.Loss); err != nil {
			return nil, err
		}
		out[k] = t
	}
	return out, rows.Err()
}

// saveTotals writes the new totals in one statement.
func saveTotals(ctx context.Context, tx pgx.Tx, book string, totals map[totalKey]total) error {
	if len(totals) == 0 {
		return nil
	}
	var goods, materials []int
	var versions, finished, bonded, nonbonded, loss []string
	for k, t := range totals {
		goods, versions, materials = append(goods, k.Finished), append(versions, k.Version), append(materials, k.Material)
		finished, bonded = append(finished, t.Finished.String()), append(bonded, t.Consumed.Bonded.String())
		nonbonded, loss = append(nonbonded, t.Consumed.NonBonded.String()), append(loss, t.Consumed.Loss.String())
	}
	_, err := tx.Exec(ctx, `INSERT INTO proc_totals (book, finished_seq, version, material_seq, finished, bonded, nonbonded, loss)
SELECT $1, g, v, m, f::NUMERIC, b::NUMERIC, n::NUMERIC, l::NUMERIC FROM unnest($2::INT[], $3::TEXT[], $4::INT[], $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[]) AS t(g, v, m, f, b, n, l)
ON CONFLICT (book, finished_seq, version, material_seq) DO UPDATE SET finished = excluded.finished, bonded = excluded.bonded, nonbonded = excluded.nonbonded, loss = excluded.loss`,
		book, goods, versions, materials, finished, bonded, nonbonded, loss)
	return err
}

// GetReport returns a production report. Its owner and customs read it.
func (s *Service) GetReport(ctx context.Context, p access.Principal, no string) (Report, error) {
	return readable(ctx, s.pool, p, "proc_reports", no, func(r Report) string { return r.Enterprise },
		ledger.NotFound(zone.ReasonUnknownDocument, "report_no", "there is no production report %q", no))
}

// ListReports pages a book's production reports in number order.
func (s *Service) ListReports(ctx context.Context, p access.Principal, book, after string, limit int) ([]Report, error) {
	if _, err := s.readBook(ctx, p, book); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > zone.MaxPage {
		limit = zone.DefaultPage
	}
	rows, err := s.pool.Query(ctx, `SELECT body FROM proc_reports WHERE book = $1 AND no > $2 ORDER BY no LIMIT $3`, book, after, limit)
	if err != nil {
		return nil, dbError(err)
	}
	out, err := pgx.CollectRows(rows, scanJSON[Report])
	return out, dbError(err)
}

// readWrite runs fn in one transaction of the ledger's seam
// (ledger.ReadWriter.ReadWriteTx): the documents fn writes through tx and
// the journals it posts through j commit together or not at all. fn may
// run several times and has no effect outside tx.
func (s *Service) readWrite(ctx context.Context, fn func(ctx context.Context, tx pgx.Tx, j journals) error) error {
	return dbError(s.ledger.ReadWriteTx(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error { return fn(ctx, tx, j) }))
}

// split cuts a report's journal into journals of at most
// ledger.MaxPostings postings, keyed after it (":1", ":2", ...), posted
// together in the report's transaction.
func split(req ledger.JournalRequest) []ledger.JournalRequest {
	var out []ledger.JournalRequest
	for k, i := 1, 0; i < len(req.Postings); k, i = k+1, i+ledger.MaxPostings {
		r := req
		r.IdempotencyKey = fmt.Sprintf("%s:%d", req.IdempotencyKey, k)
		r.Postings = req.Postings[i:min(i+ledger.MaxPostings, len(req.Postings))]
		out = append(out, r)
	}
	return out
}

// markUsed records that report no, dated day, consumed by the versions
// used: the first use locks a version, and each keeps the latest day it
// was used. Versions already marked so are left alone; the rest are
// written in one statement.
func markUsed(ctx context.Context, tx pgx.Tx, used []Version, no string, day time.Time) error {
	var goods []int
	var vers, usedBy, bodies []string
	for _, v := range used {
		if v.UsedBy != "" && !day.After(v.UsedThrough) {
			continue
		}
		if v.UsedBy == "" {
			v.UsedBy = no
		}
		if day.After(v.UsedThrough) {
			v.UsedThrough = day
		}
		goods, vers, usedBy, bodies = append(goods, v.FinishedSeq), append(vers, v.Version), append(usedBy, v.UsedBy), append(bodies, mustJSON(v))
	}
	if len(goods) == 0 {
		return nil
	}
	seq, err := zone.TakeChange(ctx, tx, used[0].Book)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE proc_versions AS p SET used_by = u.used_by, body = u.body, change_seq = $6
FROM unnest($2::INT[], $3::TEXT[], $4::TEXT[], $5::TEXT[]) AS u(finished_seq, version, used_by, body)
WHERE p.book = $1 AND p.finished_seq = u.finished_seq AND p.version = u.version`, used[0].Book, goods, vers, usedBy, bodies, seq)
	return err
}
