// Package tax computes the duties and taxes owed on goods leaving bonded
// status: import duty (关税), consumption tax (消费税) and import VAT
// (进口环节增值税) for general trade, cross-border e-commerce retail import
// (跨境电商零售进口) and domestic sales out of the zone (内销) with the
// selective duty basis (选择性征收关税) and deferred-tax interest (缓税利息).
//
// It is a pure library: no database, no transport. An Engine holds the
// Settings (dated VAT rates, cross-border limits, de-minimis, interest
// rates, and the rules the domain reference leaves unconfirmed) and a
// Tariff loaded from CSV (ParseTariff, SampleTariff) and named with its
// version (Tariff.Named). Engine.Quote takes a Request and returns a Quote,
// which records the tariff's name. zoneledger serve reads the Settings from
// the [tax] table of its config file.
//
// # Numbers
//
// Every amount, rate and quantity is a shopspring/decimal.Decimal; rates are
// fractions (0.13 for 13 %). Each tax amount of each line is computed with
// exact intermediates — quotients such as (V + D) / (1 − rate) are carried as
// exact fractions — and rounded half-up to the fen once, at the end. Document
// totals are sums of the rounded line amounts.
//
// The formulas, settings, defaults and their public sources (laws,
// MOF/GACC announcements) are in README.md beside this file.
package tax
