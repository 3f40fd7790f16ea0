package ecommerce

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/batcher"
	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the schema migrations of the e-commerce tables
// (component "ecommerce").
func Migrations() migrate.Set {
	return migrate.MustLoad("ecommerce", migrationFiles, "migrations")
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
	// ReasonReturnExceedsList: a return asks for more of a line than the
	// list released.
	ReasonReturnExceedsList = "RETURN_EXCEEDS_LIST"
)

// Order statuses.
const (
	OrderPending = "PENDING"
	// OrderReleasing is no longer set: a release commits in one
	// transaction. The API keeps the value.
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
	// MaxBatch bounds how many documents one write, and how many orders one
	// release, carries. Default 256.
	MaxBatch int
	// MaxWait bounds how long a busy service lingers for more documents or
	// orders to join a batch. Default 1 ms; negative means never.
	MaxWait time.Duration
	// Logger reports what Recover could not finish; nil means
	// slog.Default().
	Logger *slog.Logger
}

// Service runs the 1210 flow. It is safe for concurrent use.
type Service struct {
	pool   *pgxpool.Pool
	ledger ledger.ReadWriter[pgx.Tx]
	zone   *zone.Service
	tax    *tax.Engine
	set    Settings
	opts   Options
	now    func() time.Time
	tx     *pgtx.Lazy
	// intake stores the documents of concurrent calls together; releaser
	// matches and releases complete orders together (intake.go,
	// release.go).
	intake   *batcher.Batcher[*docWrite]
	releaser *batcher.Batcher[*releaseReq]
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
func New(pool *pgxpool.Pool, store ledger.ReadWriter[pgx.Tx], z *zone.Service, engine *tax.Engine, opts Options) (*Service, error) {
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
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	if opts.MaxWait == 0 {
		opts.MaxWait = time.Millisecond
	}
	s := &Service{pool: pool, ledger: store, zone: z, tax: engine, set: set, opts: opts, now: opts.Now,
		tx: pgtx.NewLazy(pool, opts.Engine, pgtx.Options{MaxAttempts: 30})}
	if s.now == nil {
		s.now = time.Now
	}
	// One goroutine each: more did not go faster on two cores, and one
	// releaser never races itself for a buyer's totals.
	s.intake = batcher.New(opts.MaxBatch, opts.MaxWait, s.writeDocs)
	s.releaser = batcher.New(opts.MaxBatch, opts.MaxWait, s.releaseBatch)
	return s, nil
}

// Close finishes the documents and releases under way and stops taking
// new ones. Close it before the ledger store it posts to.
func (s *Service) Close() {
	s.intake.Close()
	s.releaser.Close()
}

// errStopped answers calls that arrive after Close.
var errStopped = ledger.Errorf(ledger.KindUnavailable, ledger.ReasonUnavailable, "", "the e-commerce service is shutting down; send the documents again once it is back")

// batchTimeout bounds one batch's work, retries included.
const batchTimeout = 60 * time.Second

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func (s *Service) today() time.Time { return ledger.DayIn(s.now(), s.set.Location) }

// inTx runs fn in a SERIALIZABLE transaction with the engine's retries.
func (s *Service) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return dbError(s.tx.Run(ctx, fn))
}

// dbError passes ledger and context errors through and turns database
// failures into ledger errors that say what to do.
func dbError(err error) error {
	return ledger.DatabaseError(err, "the e-commerce tables", pgtx.Retryable, pgtx.StatementRefused)
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
		return c, ledger.Denied("only customs or an admin registers e-commerce channels; principal %q is %s", p.ID, p.Role)
	}
	for f, v := range map[string]string{"enterprise": c.Enterprise, "platform": c.Platform, "book_no": c.Book, "guarantor": c.Guarantor} {
		if strings.TrimSpace(v) == "" || len(v) > 64 {
			return c, ledger.BadArgument(f, "is required, at most 64 characters")
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
		return Channel{}, ledger.Denied("principal %q may not read the channel of %s", p.ID, enterprise)
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
		return Channel{}, ledger.NotFound(ReasonUnknownChannel, "enterprise", "enterprise %q has no e-commerce channel; customs registers it first", enterprise)
	}
	if err != nil {
		return Channel{}, dbError(err)
	}
	var c Channel
	return c, json.Unmarshal([]byte(body), &c)
}

// orderNotFound is the refusal of an order number never received.
func orderNotFound(orderNo string) error {
	return ledger.NotFound(ReasonUnknownOrder, "order_no", "no order %q was received", orderNo)
}

// listNotFound is the refusal of an unknown inventory list number.
func listNotFound(no string) error {
	return ledger.NotFound(ReasonUnknownList, "list_no", "there is no inventory list %q", no)
}

// hideFrom answers missing — the very refusal an unknown number gets — when
// p may not read enterprise's orders and lists: a principal never learns
// that another enterprise's order or list exists, nor whose it is. Customs
// reads everything; an admin is told that admins read no orders.
func hideFrom(p access.Principal, enterprise string, missing error) error {
	if p.CanRead(enterprise) {
		return nil
	}
	if p.Role == access.RoleAdmin && !p.Disabled {
		return ledger.Denied("principal %q is an admin; admins read no enterprise's orders or lists", p.ID)
	}
	return missing
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

func checkPerson(p Person, f string, needID bool) error {
	if strings.TrimSpace(p.Name) == "" || len(p.Name) > 100 {
		return ledger.BadArgument(f+".name", "is required, at most 100 characters")
	}
	if needID {
		if err := codes.CheckIDNumber(p.IDNumber); err != nil {
			return ledger.BadArgument(f+".id_number", "%v", err)
		}
	}
	return nil
}

func money(d decimal.Decimal, f string) error {
	if d.IsNegative() || ledger.Places(d) > 2 {
		return ledger.BadArgument(f, "must be >= 0 CNY to the fen")
	}
	return nil
}

// orderWrite checks an order and makes it ready to store.
func (s *Service) orderWrite(ctx context.Context, p access.Principal, o Order) (*docWrite, error) {
	o.OrderNo = strings.TrimSpace(o.OrderNo)
	if o.OrderNo == "" || len(o.OrderNo) > 60 {
		return nil, ledger.BadArgument("order_no", "is required, at most 60 characters")
	}
	if err := canSubmit(p, o.Enterprise); err != nil {
		return nil, err
	}
	if err := checkPerson(o.Buyer, "buyer", true); err != nil {
		return nil, err
	}
	if err := checkPerson(o.Consignee, "consignee", false); err != nil {
		return nil, err
	}
	for f, v := range map[string]decimal.Decimal{"goods_value": o.GoodsValue, "freight": o.Freight, "insurance": o.Insurance, "discount": o.Discount, "tax_total": o.TaxTotal, "actual_paid": o.ActualPaid} {
		if err := money(v, f); err != nil {
			return nil, err
		}
	}
	if len(o.Lines) == 0 || len(o.Lines) > 100 {
		return nil, ledger.BadArgument("lines", "an order has 1 to 100 lines")
	}
	sum := decimal.Zero
	for i, l := range o.Lines {
		f := fmt.Sprintf("lines[%d]", i)
		if strings.TrimSpace(l.ItemNo) == "" {
			return nil, ledger.BadArgument(f+".item_no", "name the SKU's part number on the warehouse book")
		}
		if !l.Quantity.IsPositive() || ledger.Places(l.Quantity) > 5 {
			return nil, ledger.Invalid(ledger.ReasonNonPositiveQuantity, f+".quantity", "must be > 0 with at most 5 decimal places")
		}
		if l.Price.IsNegative() || ledger.Places(l.Price) > 4 {
			return nil, ledger.BadArgument(f+".price", "must be >= 0 with at most 4 decimal places")
		}
		if err := money(l.Total, f+".total"); err != nil {
			return nil, err
		}
		if !l.Price.Mul(l.Quantity).Round(2).Equal(l.Total) {
			return nil, ledger.BadArgument(f+".total", "is %s; price %s × quantity %s = %s", l.Total, l.Price, l.Quantity, l.Price.Mul(l.Quantity).Round(2))
		}
		sum = sum.Add(l.Total)
	}
	if !sum.Equal(o.GoodsValue) {
		return nil, ledger.BadArgument("goods_value", "is %s; the lines total %s", o.GoodsValue, sum)
	}
	if _, err := s.channel(ctx, o.Enterprise); err != nil {
		return nil, err
	}
	o.Status, o.Reason, o.ListNo, o.CreatedAt, o.InputHash = "", "", "", time.Time{}, ""
	o.InputHash = hashOf(o)
	o.CreatedAt = s.clock()
	return newDocWrite(kindOrder, o.OrderNo, o.Enterprise, o.InputHash, o), nil
}

// paymentWrite checks a payment slip and makes it ready to store.
func (s *Service) paymentWrite(p access.Principal, enterprise string, pay Payment) (*docWrite, error) {
	pay.OrderNo = strings.TrimSpace(pay.OrderNo)
	if pay.OrderNo == "" || len(pay.OrderNo) > 60 {
		return nil, ledger.BadArgument("order_no", "is required, at most 60 characters")
	}
	if err := canSubmit(p, enterprise); err != nil {
		return nil, err
	}
	if err := checkPerson(pay.Payer, "payer", true); err != nil {
		return nil, err
	}
	if err := money(pay.Amount, "amount"); err != nil {
		return nil, err
	}
	pay.CreatedAt, pay.InputHash = time.Time{}, ""
	pay.InputHash = hashOf(pay)
	pay.CreatedAt = s.clock()
	return newDocWrite(kindPayment, pay.OrderNo, enterprise, pay.InputHash, pay), nil
}

// waybillWrite checks a waybill and makes it ready to store.
func (s *Service) waybillWrite(p access.Principal, enterprise string, w Waybill) (*docWrite, error) {
	w.OrderNo = strings.TrimSpace(w.OrderNo)
	if w.OrderNo == "" || len(w.OrderNo) > 60 {
		return nil, ledger.BadArgument("order_no", "is required, at most 60 characters")
	}
	if w.LogisticsNo == "" || len(w.LogisticsNo) > 60 {
		return nil, ledger.BadArgument("logistics_no", "is required, at most 60 characters")
	}
	if err := canSubmit(p, enterprise); err != nil {
		return nil, err
	}
	if err := checkPerson(w.Consignee, "consignee", false); err != nil {
		return nil, err
	}
	w.CreatedAt, w.InputHash = time.Time{}, ""
	w.InputHash = hashOf(w)
	w.CreatedAt = s.clock()
	return newDocWrite(kindWaybill, w.OrderNo, enterprise, w.InputHash, w), nil
}

// SubmitOrder receives an order; when its payment and waybill are in too,
// it is matched and released (see the package doc).
func (s *Service) SubmitOrder(ctx context.Context, p access.Principal, o Order) (Order, error) {
	w, err := s.orderWrite(ctx, p, o)
	return s.submitOne(ctx, w, err)
}

// SubmitPayment receives a payment slip for an order of enterprise.
func (s *Service) SubmitPayment(ctx context.Context, p access.Principal, enterprise string, pay Payment) (Order, error) {
	w, err := s.paymentWrite(p, enterprise, pay)
	return s.submitOne(ctx, w, err)
}

// SubmitWaybill receives a waybill for an order of enterprise.
func (s *Service) SubmitWaybill(ctx context.Context, p access.Principal, enterprise string, wb Waybill) (Order, error) {
	w, err := s.waybillWrite(p, enterprise, wb)
	return s.submitOne(ctx, w, err)
}

// submitOne stores one checked document (err: why it was not) and answers it.
func (s *Service) submitOne(ctx context.Context, w *docWrite, err error) (Order, error) {
	if err != nil {
		return Order{}, err
	}
	r := s.submitDocs(ctx, []*docWrite{w})[0]
	return r.Order, r.Err
}

// Document is one of an order's three documents, for SubmitDocuments:
// exactly one of Order, Payment and Waybill is set; Enterprise names the
// e-commerce enterprise of a payment or waybill.
type Document struct {
	Enterprise string
	Order      *Order
	Payment    *Payment
	Waybill    *Waybill
}

// DocumentResult answers one document of SubmitDocuments: the order as
// that document left it, or why the document was refused.
type DocumentResult struct {
	Order Order
	Err   error
}

// SubmitDocuments receives documents as platforms send them, many at a
// time, and answers each as if it had come alone, one after another in
// the order given: a document that completes its order answers the match
// and release; a refused document answers its own error and the others go
// on. The documents are stored together and the orders they complete are
// released together.
func (s *Service) SubmitDocuments(ctx context.Context, p access.Principal, docs []Document) []DocumentResult {
	out := make([]DocumentResult, len(docs))
	var ws []*docWrite
	var at []int
	for i, d := range docs {
		var w *docWrite
		var err error
		switch {
		case d.Order != nil:
			w, err = s.orderWrite(ctx, p, *d.Order)
		case d.Payment != nil:
			w, err = s.paymentWrite(p, d.Enterprise, *d.Payment)
		case d.Waybill != nil:
			w, err = s.waybillWrite(p, d.Enterprise, *d.Waybill)
		default:
			err = ledger.BadArgument("document", "give an order, a payment or a waybill")
		}
		if err != nil {
			out[i].Err = err
			continue
		}
		ws, at = append(ws, w), append(at, i)
	}
	if len(ws) > 0 {
		for k, r := range s.submitDocs(ctx, ws) {
			out[at[k]] = r
		}
	}
	return out
}

// GetOrder returns an order with its status; a principal that may read
// its enterprise may read it.
func (s *Service) GetOrder(ctx context.Context, p access.Principal, orderNo string) (Order, error) {
	r, ok, err := loadOrder(ctx, s.pool, orderNo, false)
	if err != nil {
		return Order{}, dbError(err)
	}
	if !ok || r.bodies[kindOrder] == "" {
		return Order{}, orderNotFound(orderNo)
	}
	if err := hideFrom(p, r.enterprise, orderNotFound(orderNo)); err != nil {
		return Order{}, err
	}
	return r.order()
}
