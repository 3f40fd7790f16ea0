package customsapi

import (
	"context"
	"encoding/hex"

	"google.golang.org/grpc"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/evidence"
	"github.com/zoneledger/zoneledger/ledger"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	evfile "github.com/zoneledger/zoneledger/proto/zoneledger/evidence"
)

// WriteOffServer implements customsv1.WriteOffServiceServer: the cycle
// and stocktake calls by the WriteOffCycleServer it embeds, the evidence
// calls over an evidence.Service.
type WriteOffServer struct {
	*WriteOffCycleServer
	*BalanceServer
	evidence *evidence.Service
}

// NewWriteOffServer returns WriteOffService: cycle's calls, balance's, and
// the evidence calls served by ev.
func NewWriteOffServer(cycle *WriteOffCycleServer, balance *BalanceServer, ev *evidence.Service) *WriteOffServer {
	return &WriteOffServer{WriteOffCycleServer: cycle, BalanceServer: balance, evidence: ev}
}

func evidenceOut(s evidence.Sealed) *customsv1.Evidence {
	return &customsv1.Evidence{BookNo: s.Book, From: dateOut(s.From), Through: dateOut(s.Through), Digest: hex.EncodeToString(s.Digest),
		PreviousDigest: hex.EncodeToString(s.PreviousDigest), LedgerDigest: hex.EncodeToString(s.LedgerDigest),
		Journals: s.Journals, Documents: s.Documents, SealedAt: ts(s.SealedAt), SealedBy: s.SealedBy}
}

// SealEvidence implements customsv1.WriteOffServiceServer.
func (s *WriteOffServer) SealEvidence(ctx context.Context, r *customsv1.SealEvidenceRequest) (*customsv1.SealEvidenceResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.SealEvidenceResponse, error) {
		through, err := ledger.ParseDate(r.GetThrough(), "through")
		if err != nil {
			return nil, err
		}
		sealed, err := s.evidence.Seal(ctx, p, r.GetBookNo(), through)
		if err != nil {
			return nil, err
		}
		return &customsv1.SealEvidenceResponse{Evidence: evidenceOut(sealed)}, nil
	})
}

// ListEvidence implements customsv1.WriteOffServiceServer.
func (s *WriteOffServer) ListEvidence(ctx context.Context, r *customsv1.ListEvidenceRequest) (*customsv1.ListEvidenceResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListEvidenceResponse, error) {
		all, err := s.evidence.List(ctx, p, r.GetBookNo())
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListEvidenceResponse{}
		for _, e := range all {
			out.Evidence = append(out.Evidence, evidenceOut(e))
		}
		return out, nil
	})
}

// ExportEvidence implements customsv1.WriteOffServiceServer: the period,
// then each line of the export file.
func (s *WriteOffServer) ExportEvidence(r *customsv1.ExportEvidenceRequest, stream grpc.ServerStreamingServer[customsv1.ExportEvidenceResponse]) error {
	ctx := stream.Context()
	_, err := handle(ctx, nil, func(p access.Principal) (struct{}, error) {
		through, err := ledger.ParseDate(r.GetThrough(), "through")
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, s.evidence.Export(ctx, p, r.GetBookNo(), through,
			func(h evidence.Sealed) error {
				return stream.Send(&customsv1.ExportEvidenceResponse{Evidence: evidenceOut(h)})
			},
			func(l evfile.Line) error {
				b, err := evfile.Encode(l)
				if err != nil {
					return err
				}
				return stream.Send(&customsv1.ExportEvidenceResponse{Line: string(b)})
			})
	})
	return err
}
