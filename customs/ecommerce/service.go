package ecommerce

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore/migrate"
	"github.com/zoneledger/zoneledger/ledger/pgstore/pgtx"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the schema migrations of the e-commerce tables
// (component "ecommerce").
func Migrations() migrate.Set {
	set, err := migrate.Load("ecommerce", migrationFiles, "migrations")
	if err != nil {
		panic(err)
	}
	return set
}

// Stable reasons of e-commerce refusals.
const (
	ReasonUnknownChannel      = "UNKNOWN_CHANNEL"
	ReasonDuplicateDocument   = "DUPLICATE_DOCUMENT_NUMBER"
	ReasonUnknownOrder        = "UNKNOWN_ORDER"
	ReasonUnknownList         = "UNKNOWN_LIST"
	ReasonActualPaidMismatch  = "ACTUAL_PAID_MISMATCH"
	ReasonPaymentMismatch     = "PAYMENT_AMOUNT_MISMATCH"
	ReasonBuyerPayerMismatch  = "BUYER_PAYER_MISMATCH"
	ReasonConsigneeMismatch   = "CONSIGNEE_MISMATCH"
	ReasonTaxMismatch         = "TAX_MISMATCH"
	ReasonNotOnPositiveList   = "NOT_ON_POSITIVE_LIST"
	ReasonPersonalCapExceeded = "PERSONAL_CAP_EXCEEDED"
	ReasonOverSingleLimit     = "OVER_SINGLE_LIMIT"
	ReasonOverAnnualLimit     = "OVER_ANNUAL_LIMIT"
	ReasonInsufficientStock   = "INSUFFICIENT_STOCK"
	ReasonReturnWindowClosed  = "RETURN_WINDOW_CLOSED"
	ReasonWrongStatus         = "WRONG_STATUS"
)

// Order statuses.
const (
	OrderPending   = "PENDING"
	OrderReleasing = "RELEASING"
	OrderReleased  = "RELEASED"
	OrderRejected  = "REJECTED"
	OrderCancelled = "CANCELLED"
)

// Options configure a Service.
type Options struct {
	// Settings; nil means DefaultSettings.
	Settings *Settings
	Now      func() time.Time
	Engine   pgtx.Engine
}

// Service runs the 1210 flow. It is safe for concurrent use.
type Service struct {
	pool   *pgxpool.Pool
	ledger ledger.Store
	zone   *zone.Service
	tax    *tax.Engine
	set    Settings
	now    func() time.Time
	tx     *pgtx.Lazy
	// lines caches warehouse book lines by book and part number.
	lines sync.Map
	// channels caches channels by enterprise for channelTTL.
	channels sync.Map
}

// channelTTL is how long a channel read is reused. A channel registered
// again through this process is seen at once; through another process,
// within channelTTL.
const channelTTL = 5 * time.Second

type cachedChannel struct {
	c     Channel
	until time.Time
}

// channel returns an enterprise's channel, from the cache when fresh.
func (s *Service) channel(ctx context.Context, enterprise string) (Channel, error) {
	if v, ok := s.channels.Load(enterprise); ok && time.Now().Before(v.(cachedChannel).until) {
		return v.(cachedChannel).c, nil
	}
	c, err := loadChannel(ctx, s.pool, enterprise)
	if err != nil {
		return c, err
	}
	s.channels.Store(enterprise, cachedChannel{c: c, until: time.Now().Add(channelTTL)})
	return c, nil
}

// New returns a Service storing its documents in pool, deducting stock
// through store from books kept by z, taxing with engine.
func New(pool *pgxpool.Pool, store ledger.Store, z *zone.Service, engine *tax.Engine, opts Options) (*Service, error) {
	set := DefaultSettings()
	if opts.Settings != nil {
		set = *opts.Settings
	}
	set, err := set.normalize()
	if err != nil {
		return nil, fmt.Errorf("e-commerce settings: %w", err)
	}
	if engine == nil {
		return nil, errors.New("e-commerce needs the tax engine")
	}
	s := &Service{pool: pool, ledger: store, zone: z, tax: engine, set: set, now: opts.Now,
		tx: pgtx.NewLazy(pool, opts.Engine, pgtx.Options{MaxAttempts: 30}, "the e-commerce tables")}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func (s *Service) today() time.Time {
	t := s.now().In(s.set.Location)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// inTx runs fn in a SERIALIZABLE transaction with the engine's retries.
func (s *Service) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.tx.Run(ctx, fn)
}

// dbError turns database failures into ledger errors that say what to do.
func dbError(err error) error { return pgtx.DescribeError(err, "the e-commerce tables") }

func badArg(field, format string, args ...any) error {
	return ledger.Errorf(ledger.KindInvalid, ledger.ReasonInvalidArgument, field, format, args...)
}

func refuse(reason, field, format string, args ...any) error {
	return ledger.Errorf(ledger.KindFailedPrecondition, reason, field, format, args...)
}

func hashOf(v any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// RegisterChannel records how an e-commerce enterprise sells. Customs or
// admin only. The same channel again is a no-op; a changed one replaces it.
func (s *Service) RegisterChannel(ctx context.Context, p access.Principal, c Channel) (Channel, error) {
	if p.Role != access.RoleCustoms && p.Role != access.RoleAdmin {
		return c, ledger.Errorf(ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, "", "only customs or an admin registers e-commerce channels; principal %q is %s", p.ID, p.Role)
	}
	for f, v := range map[string]string{"enterprise": c.Enterprise, "platform": c.Platform, "book_no": c.Book, "guarantor": c.Guarantor} {
		if strings.TrimSpace(v) == "" || len(v) > 64 {
			return c, badArg(f, "is required, at most 64 characters")
		}
	}
	b, err := s.zone.BookByNo(ctx, c.Book)
	if err != nil {
		return c, err
	}
	if err := s.zone.CheckOpen(ctx, b, "book_no"); err != nil {
		return c, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO ecom_channels (enterprise, body) VALUES ($1, $2) ON CONFLICT (enterprise) DO UPDATE SET body = excluded.body`, c.Enterprise, mustJSON(c))
		return err
	})
	s.channels.Delete(c.Enterprise)
	return c, err
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// GetChannel returns an enterprise's channel.
func (s *Service) GetChannel(ctx context.Context, p access.Principal, enterprise string) (Channel, error) {
	if p.Role != access.RoleAdmin && !p.CanRead(enterprise) {
		return Channel{}, ledger.Errorf(ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, "", "principal %q may not read the channel of %s", p.ID, enterprise)
	}
	return loadChannel(ctx, s.pool, enterprise)
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func loadChannel(ctx context.Context, q querier, enterprise string) (Channel, error) {
	var body string
	err := q.QueryRow(ctx, `SELECT body FROM ecom_channels WHERE enterprise = $1`, enterprise).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return Channel{}, ledger.Errorf(ledger.KindNotFound, ReasonUnknownChannel, "enterprise", "enterprise %q has no e-commerce channel; customs registers it first", enterprise)
	}
	if err != nil {
		return Channel{}, dbError(err)
	}
	var c Channel
	return c, json.Unmarshal([]byte(body), &c)
}

// canSubmit checks that p may submit documents for an e-commerce
// enterprise: a platform linked to it, or the enterprise itself.
func canSubmit(p access.Principal, enterprise string) error {
	if (p.Role == access.RolePlatform || p.Role == access.RoleEnterprise) && p.CanWrite(enterprise) {
		return nil
	}
	return ledger.Errorf(ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, "enterprise",
		"principal %q (%s) may not submit orders for %s: a platform submits only for the enterprises it is linked to", p.ID, p.Role, enterprise)
}

// storeDoc stores one of the three documents under its order number: the
// same document again is a no-op, another under the number is refused.
func (s *Service) storeDoc(ctx context.Context, kind, orderNo, enterprise, hash string, doc any) error {
	// One atomic statement, no transaction: a document is written once and
	// never changed, so there is nothing to isolate. (A SERIALIZABLE
	// transaction that first looked for the row would lock the index gap
	// and collide with other orders' documents.)
	tag, err := s.pool.Exec(ctx, `INSERT INTO ecom_documents (kind, order_no, enterprise, body, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, order_no) DO NOTHING`,
		kind, orderNo, enterprise, mustJSON(doc), s.clock())
	if err != nil {
		return dbError(err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var body, ent string
	if err := s.pool.QueryRow(ctx, `SELECT body, enterprise FROM ecom_documents WHERE kind = $1 AND order_no = $2`, kind, orderNo).Scan(&body, &ent); err != nil {
		return dbError(err)
	}
	var old struct{ InputHash string }
	_ = json.Unmarshal([]byte(body), &old)
	if old.InputHash == hash && ent == enterprise {
		return nil
	}
	return ledger.Errorf(ledger.KindConflict, ReasonDuplicateDocument, "order_no", "a different %s for order %s was already received", kind, orderNo)
}

func checkPerson(p Person, f string, needID bool) error {
	if strings.TrimSpace(p.Name) == "" || len(p.Name) > 100 {
		return badArg(f+".name", "is required, at most 100 characters")
	}
	if needID && !validID(p.IDNumber) {
		return badArg(f+".id_number", "must be an 18-character 身份证 number (17 digits and a digit or X)")
	}
	return nil
}

func validID(id string) bool {
	if len(id) != 18 {
		return false
	}
	for i, c := range id {
		if !(c >= '0' && c <= '9') && !(i == 17 && c == 'X') {
			return false
		}
	}
	return true
}

func money(d decimal.Decimal, f string) error {
	if d.IsNegative() || ledger.Places(d) > 2 {
		return badArg(f, "must be >= 0 CNY to the fen")
	}
	return nil
}

// SubmitOrder receives an order; when its payment and waybill are in too,
// it is matched and released (see Match).
func (s *Service) SubmitOrder(ctx context.Context, p access.Principal, o Order) (Order, error) {
	o.OrderNo = strings.TrimSpace(o.OrderNo)
	if o.OrderNo == "" || len(o.OrderNo) > 60 {
		return o, badArg("order_no", "is required, at most 60 characters")
	}
	if err := canSubmit(p, o.Enterprise); err != nil {
		return o, err
	}
	if err := checkPerson(o.Buyer, "buyer", true); err != nil {
		return o, err
	}
	if err := checkPerson(o.Consignee, "consignee", false); err != nil {
		return o, err
	}
	for f, v := range map[string]decimal.Decimal{"goods_value": o.GoodsValue, "freight": o.Freight, "insurance": o.Insurance, "discount": o.Discount, "tax_total": o.TaxTotal, "actual_paid": o.ActualPaid} {
		if err := money(v, f); err != nil {
			return o, err
		}
	}
	if len(o.Lines) == 0 || len(o.Lines) > 100 {
		return o, badArg("lines", "an order has 1 to 100 lines")
	}
	sum := decimal.Zero
	for i, l := range o.Lines {
		f := fmt.Sprintf("lines[%d]", i)
		if strings.TrimSpace(l.ItemNo) == "" {
			return o, badArg(f+".item_no", "name the SKU's part number on the warehouse book")
		}
		if !l.Quantity.IsPositive() || ledger.Places(l.Quantity) > 5 {
			return o, ledger.Errorf(ledger.KindInvalid, ledger.ReasonNonPositiveQuantity, f+".quantity", "must be > 0 with at most 5 decimal places")
		}
		if l.Price.IsNegative() || ledger.Places(l.Price) > 4 {
			return o, badArg(f+".price", "must be >= 0 with at most 4 decimal places")
		}
		if err := money(l.Total, f+".total"); err != nil {
			return o, err
		}
		if !l.Price.Mul(l.Quantity).Round(2).Equal(l.Total) {
			return o, badArg(f+".total", "is %s; price %s × quantity %s = %s", l.Total, l.Price, l.Quantity, l.Price.Mul(l.Quantity).Round(2))
		}
		sum = sum.Add(l.Total)
	}
	if !sum.Equal(o.GoodsValue) {
		return o, badArg("goods_value", "is %s; the lines total %s", o.GoodsValue, sum)
	}
	if _, err := s.channel(ctx, o.Enterprise); err != nil {
		return o, err
	}
	o.Status, o.Reason, o.ListNo, o.CreatedAt, o.InputHash = "", "", "", time.Time{}, ""
	o.InputHash = hashOf(o)
	o.Status, o.CreatedAt = OrderPending, s.clock()
	if err := s.storeDoc(ctx, "order", o.OrderNo, o.Enterprise, o.InputHash, o); err != nil {
		return o, err
	}
	return s.Match(ctx, o.OrderNo)
}

// SubmitPayment receives a payment slip for an order of enterprise.
func (s *Service) SubmitPayment(ctx context.Context, p access.Principal, enterprise string, pay Payment) (Order, error) {
	pay.OrderNo = strings.TrimSpace(pay.OrderNo)
	if pay.OrderNo == "" || len(pay.OrderNo) > 60 {
		return Order{}, badArg("order_no", "is required, at most 60 characters")
	}
	if err := canSubmit(p, enterprise); err != nil {
		return Order{}, err
	}
	if err := checkPerson(pay.Payer, "payer", true); err != nil {
		return Order{}, err
	}
	if err := money(pay.Amount, "amount"); err != nil {
		return Order{}, err
	}
	pay.CreatedAt, pay.InputHash = time.Time{}, ""
	pay.InputHash = hashOf(pay)
	pay.CreatedAt = s.clock()
	if err := s.storeDoc(ctx, "payment", pay.OrderNo, enterprise, pay.InputHash, pay); err != nil {
		return Order{}, err
	}
	return s.Match(ctx, pay.OrderNo)
}

// SubmitWaybill receives a waybill for an order of enterprise.
func (s *Service) SubmitWaybill(ctx context.Context, p access.Principal, enterprise string, w Waybill) (Order, error) {
	w.OrderNo = strings.TrimSpace(w.OrderNo)
	if w.OrderNo == "" || len(w.OrderNo) > 60 {
		return Order{}, badArg("order_no", "is required, at most 60 characters")
	}
	if w.LogisticsNo == "" || len(w.LogisticsNo) > 60 {
		return Order{}, badArg("logistics_no", "is required, at most 60 characters")
	}
	if err := canSubmit(p, enterprise); err != nil {
		return Order{}, err
	}
	if err := checkPerson(w.Consignee, "consignee", false); err != nil {
		return Order{}, err
	}
	w.CreatedAt, w.InputHash = time.Time{}, ""
	w.InputHash = hashOf(w)
	w.CreatedAt = s.clock()
	if err := s.storeDoc(ctx, "waybill", w.OrderNo, enterprise, w.InputHash, w); err != nil {
		return Order{}, err
	}
	return s.Match(ctx, w.OrderNo)
}

// GetOrder returns an order with its status; a principal that may read
// its enterprise may read it.
func (s *Service) GetOrder(ctx context.Context, p access.Principal, orderNo string) (Order, error) {
	o, ok, err := loadDoc[Order](ctx, s.pool, "order", orderNo)
	if err != nil {
		return o, err
	}
	if !ok {
		return o, ledger.Errorf(ledger.KindNotFound, ReasonUnknownOrder, "order_no", "no order %q was received", orderNo)
	}
	if !p.CanRead(o.Enterprise) {
		return Order{}, ledger.Errorf(ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, "", "principal %q may not read orders of %s", p.ID, o.Enterprise)
	}
	return o, nil
}

func loadDoc[T any](ctx context.Context, q querier, kind, orderNo string) (T, bool, error) {
	var v T
	var body string
	err := q.QueryRow(ctx, `SELECT body FROM ecom_documents WHERE kind = $1 AND order_no = $2`, kind, orderNo).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, false, nil
	}
	if err != nil {
		return v, false, dbError(err)
	}
	return v, true, json.Unmarshal([]byte(body), &v)
}

func loadDocForUpdate[T any](ctx context.Context, tx pgx.Tx, kind, orderNo string) (T, bool, error) {
	var v T
	var body string
	err := tx.QueryRow(ctx, `SELECT body FROM ecom_documents WHERE kind = $1 AND order_no = $2 FOR UPDATE`, kind, orderNo).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, false, nil
	}
	if err != nil {
		return v, false, err
	}
	return v, true, json.Unmarshal([]byte(body), &v)
}

func saveOrder(ctx context.Context, tx pgx.Tx, o Order) error {
	_, err := tx.Exec(ctx, `UPDATE ecom_documents SET body = $3 WHERE kind = $1 AND order_no = $2`, "order", o.OrderNo, mustJSON(o))
	return err
}
