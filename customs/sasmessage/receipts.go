package sasmessage

import "context"

// importAll imports a batch of customs' receipts, the way both
// ImportReceipts (INV201, lists) and ImportPassReceipts (SAS221/SAS251,
// passes) do. read decodes each message into its receipt and the start of
// its outcome (the envelope's numbers); every message is read before any
// receipt is applied, so a message read refuses the whole call with
// nothing applied and no outcome. Then apply applies each receipt in
// order (each in its own transaction) and completes its outcome; the
// first refusal stops the call. On a refusal, the int is the index of the
// message at fault and the outcomes are those of the receipts applied
// before it, which stay applied; the error is read's or apply's as it is,
// for the caller to name the message in.
func importAll[R, O any](ctx context.Context, msgs [][]byte, read func([]byte) (O, R, error), apply func(context.Context, R, *O) error) ([]O, int, error) {
	outs := make([]O, len(msgs))
	receipts := make([]R, len(msgs))
	for i, data := range msgs {
		var err error
		if outs[i], receipts[i], err = read(data); err != nil {
			return nil, i, err
		}
	}
	for i, r := range receipts {
		if err := apply(ctx, r, &outs[i]); err != nil {
			return outs[:i], i, err
		}
	}
	return outs, 0, nil
}
