package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// The platform's outbox of the day of 1210 orders: the single window's
// messages as the platform, the payment enterprise and the logistics
// enterprise wrote them — one CEB311 (order), CEB411 (payment) or CEB511
// (waybill) XML file per document, named NNN-K-ORDERNO.xml (K: O, P or W) —
// in folders by how they are sent: single/ one per call in file order,
// batch1/ and batch2/ one SubmitMessages call each. The demo sends the
// files' bytes as they are; it reads nothing in them. The order of buyer G
// (paid by the spouse, with an identity proof) has no CEB311 file: the
// message has no element for the proof, so that order goes by SubmitOrder.
// TestEcommerceDayFiles checks the files against the script
// (sales_plan.go), written on ecomOutboxDay with the tax quoted that day.
//
//go:embed ecommerce_day
var ecommerceDay embed.FS

// ecomOutboxDay is the day the outbox's messages were written; it numbers
// the orders (YF + yyMMdd + n).
const ecomOutboxDay = "2026-11-28"

// dayFile is one message file of the outbox.
type dayFile struct {
	name    string
	kind    byte
	orderNo string
	data    []byte
}

// dayFolder reads the message files of one folder of the outbox in name
// order (fs.ReadDir's).
func dayFolder(dir string) ([]dayFile, error) {
	ents, err := fs.ReadDir(ecommerceDay, path.Join("ecommerce_day", dir))
	if err != nil {
		return nil, err
	}
	var out []dayFile
	for _, e := range ents {
		parts := strings.SplitN(strings.TrimSuffix(e.Name(), ".xml"), "-", 3)
		if len(parts) != 3 || len(parts[1]) != 1 || !strings.Contains("OPW", parts[1]) {
			return nil, fmt.Errorf("ecommerce_day/%s/%s: not NNN-K-ORDERNO.xml", dir, e.Name())
		}
		data, err := ecommerceDay.ReadFile(path.Join("ecommerce_day", dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, dayFile{name: path.Join(dir, e.Name()), kind: parts[1][0], orderNo: parts[2], data: data})
	}
	return out, nil
}

// dayFiles matches the outbox with the script's documents: the singles
// (a document without a file — the CEB311 of an order with an identity
// proof — is nil) and each batch's files in the order sent.
func dayFiles(s *salesScript) (singles []*dayFile, batches [][]dayFile, err error) {
	fs, err := dayFolder("single")
	if err != nil {
		return nil, nil, err
	}
	for _, dc := range s.Singles {
		o := s.Orders[dc.Order]
		if dc.Kind == 'O' && o.Proof != "" {
			singles = append(singles, nil)
			continue
		}
		if len(fs) == 0 || fs[0].kind != dc.Kind || fs[0].orderNo != o.No {
			return nil, nil, fmt.Errorf("ecommerce_day/single: expected the %c of order %s next, found %v", dc.Kind, o.No, names(fs))
		}
		singles = append(singles, &fs[0])
		fs = fs[1:]
	}
	if len(fs) > 0 {
		return nil, nil, fmt.Errorf("ecommerce_day/single: files the script does not send: %v", names(fs))
	}
	for bi, docs := range s.Batches {
		fs, err := dayFolder(fmt.Sprintf("batch%d", bi+1))
		if err != nil {
			return nil, nil, err
		}
		if len(fs) != len(docs) {
			return nil, nil, fmt.Errorf("ecommerce_day/batch%d: %d files for %d documents", bi+1, len(fs), len(docs))
		}
		for i, dc := range docs {
			if fs[i].kind != dc.Kind || fs[i].orderNo != s.Orders[dc.Order].No {
				return nil, nil, fmt.Errorf("ecommerce_day/batch%d: file %s is not the %c of order %s", bi+1, fs[i].name, dc.Kind, s.Orders[dc.Order].No)
			}
		}
		batches = append(batches, fs)
	}
	return singles, batches, nil
}

func names(fs []dayFile) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.name
	}
	return out
}
