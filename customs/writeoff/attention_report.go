package writeoff

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/zoneledger/zoneledger/ledger"
)

// AttentionHeader is the header row of the attention report.
func AttentionHeader() []string {
	return []string{"since", "days", "kind", "enterprise", "book_no", "documents", "due", "quantity", "amount", "note"}
}

// AttentionRecord is a row of the attention report; quantities and
// amounts are exact decimal text (amounts to the fen at least), dates
// YYYY-MM-DD (empty when the row has none), documents separated by spaces.
func AttentionRecord(it AttentionItem) []string {
	due := ""
	if !it.Due.IsZero() {
		due = ledger.FormatDate(it.Due)
	}
	return []string{ledger.FormatDate(it.Since), strconv.Itoa(it.Days), string(it.Kind), it.Enterprise, it.Book, strings.Join(it.Documents, " "),
		due, it.Quantity.String(), ledger.FormatMoney(it.Amount), it.Note}
}

// WriteAttentionReport writes attention rows as a CSV file or an XLSX
// workbook (sheet "Attention").
func WriteAttentionReport(w io.Writer, f BalanceReportFormat, items []AttentionItem) error {
	rows := make([][]string, 0, len(items))
	for _, it := range items {
		rows = append(rows, AttentionRecord(it))
	}
	return WriteTable(w, f, "Attention", AttentionHeader(), rows)
}

// AttentionFileName is the attention report's suggested file name.
func AttentionFileName(book string, asOf time.Time, f BalanceReportFormat) string {
	if book == "" {
		book = "all-books"
	}
	return fmt.Sprintf("attention-%s-%s.%s", book, ledger.FormatDate(asOf), strings.ToLower(string(f)))
}

// DifferencesHeader is the header row of a stocktake's differences report.
func DifferencesHeader() []string {
	return []string{"stocktake_no", "book_no", "date", "book_seq", "status", "name", "unit", "booked", "counted", "difference", "value",
		"duty", "vat", "consumption_tax", "interest", "tax", "duty_basis", "assess_error", "payment_no", "paid", "paid_on",
		"explanation", "decision", "decided_by", "journal_id", "settled"}
}

// DifferencesRecord is a row of the differences report: quantities and
// amounts exact decimal text (amounts to the fen at least); the tax
// columns are empty but for a taxed shortage.
func DifferencesRecord(st Stocktake, d Difference) []string {
	tax := func(v string) string {
		if d.TaxEvent == 0 {
			return ""
		}
		return v
	}
	payNo, paid, paidOn := "", "", ""
	if d.Payment != nil {
		payNo, paid, paidOn = d.Payment.No, ledger.FormatMoney(d.Payment.Amount), ledger.FormatDate(d.Payment.Date)
	}
	journal := ""
	if d.Journal != 0 {
		journal = strconv.FormatInt(d.Journal, 10)
	}
	return []string{st.No, st.Book, ledger.FormatDate(st.Date), strconv.Itoa(d.BookSeq), string(d.Status), d.Name, d.Unit,
		d.Booked.String(), d.Counted.String(), d.Difference.String(), ledger.FormatMoney(d.Value),
		tax(ledger.FormatMoney(d.Duty)), tax(ledger.FormatMoney(d.VAT)), tax(ledger.FormatMoney(d.ConsumptionTax)), tax(ledger.FormatMoney(d.Interest)), tax(ledger.FormatMoney(d.Tax)), d.DutyBasis, d.AssessError,
		payNo, paid, paidOn, d.Explanation, string(d.Decision), d.DecidedBy, journal, strconv.FormatBool(d.Settled())}
}

// WriteDifferencesReport writes a counted stocktake's differences as a CSV
// file or an XLSX workbook (sheet "Differences").
func WriteDifferencesReport(w io.Writer, f BalanceReportFormat, st Stocktake) error {
	rows := make([][]string, 0, len(st.Differences))
	for _, d := range st.Differences {
		rows = append(rows, DifferencesRecord(st, d))
	}
	return WriteTable(w, f, "Differences", DifferencesHeader(), rows)
}

// DifferencesFileName is the differences report's suggested file name.
func DifferencesFileName(st Stocktake, f BalanceReportFormat) string {
	return fmt.Sprintf("differences-%s.%s", st.No, strings.ToLower(string(f)))
}
