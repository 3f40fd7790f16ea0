// Package ceb holds the cross-border e-commerce messages of the single
// window (中国国际贸易单一窗口; 跨境电商, the CEB family) as Go types with
// encoding/xml and validate tags: the order (CEB311Message), the payment slip
// (CEB411Message) and the waybill (CEB511Message) that platforms, payment
// enterprises and logistics enterprises send.
//
// Decode reads any of the three exactly as sent — the namespace
// http://www.chinaport.gov.cn/ceb under the prefix ceb:, one or more
// documents per message, a BaseTransfer naming the sender — refuses hostile
// input through customs/singlewindow (no DOCTYPE, bounded depth and size)
// and checks the message's own field rules (lengths, required and
// required-with fields, the code lists appType 1/2/3, appStatus 1/2,
// buyerIdType and payerIdType 1, currency 142, amounts N(19,5), times
// yyyyMMddHHmmss, gnum 1, 2, …). A refusal is a *singlewindow.FieldError
// whose Path names the element: "CEB311Message/Order[1]/OrderHead/appType".
// Encode writes a message back in the same shape (ceb: prefix), stable for
// golden files.
//
// The package knows the messages, not the 三单 match: customs/ecommerce
// turns decoded messages into its documents (its SubmitMessages).
// README.md lists the fields and rules with an example.
package ceb
