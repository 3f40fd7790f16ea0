package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
)

func (a *app) adminCmd() *cobra.Command {
	return group("admin", "Manage principals and tokens (admin only)",
		group("principals", "Create, show, list and disable principals",
			a.principalsCreateCmd(), a.principalsListCmd(), a.principalsGetCmd(), a.principalsDisableCmd()),
		group("tokens", "Issue, list and revoke bearer tokens",
			a.tokensIssueCmd(), a.tokensListCmd(), a.tokensRevokeCmd()),
	)
}

func (a *app) principalsCreateCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "create", method: adminv1.AdminService_CreatePrincipal_FullMethodName,
		short: "Create a principal",
		more: `Roles:
  admin       manages principals and tokens, world accounts
  customs     reads every book, reconciles, verifies the audit trail
  enterprise  reads and writes the books of its enterprise (--enterprise, required)
  platform    acts for the enterprises it is linked to (--link, repeatable)`,
		example: `  zonectl admin principals create --id acme-ops --name "ACME operations" --role enterprise --enterprise 3201234567
  zonectl admin principals create --id shop-1 --role platform --link 3201234567 --link 3207654321`,
		bind: "id=principal_id name=display_name enterprise=enterprise_id link=linked_enterprise_ids,"}, principalView)
}

func (a *app) principalsListCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "list", method: adminv1.AdminService_ListPrincipals_FullMethodName,
		short: "List all principals (all pages)", example: "  zonectl admin principals list"}, principalView)
}

func (a *app) principalsGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: adminv1.AdminService_GetPrincipal_FullMethodName,
		short: "Show one principal", example: "  zonectl admin principals get acme-ops", bind: "ID=principal_id"}, principalView)
}

func (a *app) principalsDisableCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "disable", method: adminv1.AdminService_DisablePrincipal_FullMethodName,
		short: "Disable a principal: its tokens stop working (idempotent)", example: "  zonectl admin principals disable acme-ops",
		bind: "ID=principal_id"}, principalView)
}

// parseExpiry accepts an RFC 3339 instant or a duration from now ("720h").
func parseExpiry(s string, now time.Time) (*timestamppb.Timestamp, error) {
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return timestamppb.New(t), nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return timestamppb.New(now.Add(d)), nil
	}
	return nil, usagef("--expires %q: write an RFC 3339 time (2026-12-31T23:59:59+08:00) or a duration (720h)", s)
}

func (a *app) tokensIssueCmd() *cobra.Command {
	var pid, description, expires, requestID string
	return leaf(&cobra.Command{
		Use:   "issue",
		Short: "Issue a bearer token for a principal (printed once, to stdout)",
		Long: `Issue a new bearer token for a principal. The token is printed once, to
standard output only (the table format prints the token alone on one line, so
it can be redirected into a file); its id and expiry go to standard error.
The server keeps only a hash: a lost token cannot be shown again; revoke it
and issue a new one. With --request-id, running the same command again after
a lost answer (a timeout, UNAVAILABLE) revokes the token that answer carried
and prints a new one: one live token, the one printed. Without it, every run
issues another token.`,
		Example: `  umask 077; zonectl admin tokens issue --principal acme-ops --description "ERP bridge" \
      --expires 2026-12-31T23:59:59+08:00 --request-id acme-ops-2026 > acme-ops.token`,
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			exp, err := parseExpiry(expires, time.Now())
			if err != nil {
				return err
			}
			resp, err := call(a, cmd.Context(), func(ctx context.Context, c *clients) (*adminv1.IssueTokenResponse, error) {
				return c.admin.IssueToken(ctx, &adminv1.IssueTokenRequest{PrincipalId: pid, Description: description, ExpiresAt: exp, RequestId: requestID})
			})
			if err != nil {
				return err
			}
			switch a.format {
			case output.JSON:
				return output.One(a.stdout, a.format, resp, nil)
			case output.CSV:
				return output.Rows(a.stdout, a.format, []string{"token_id", "principal_id", "expires_at", "token", "replaced_token_id"},
					[][]string{{resp.GetTokenId(), resp.GetInfo().GetPrincipalId(), ts(resp.GetInfo().GetExpiresAt()), resp.GetToken(), resp.GetReplacedTokenId()}})
			}
			expiry := "never expires"
			if e := ts(resp.GetInfo().GetExpiresAt()); e != "" {
				expiry = "expires " + e
			}
			a.note("issued token %s for principal %s (%s); it is shown only this once", resp.GetTokenId(), pid, expiry)
			if r := resp.GetReplacedTokenId(); r != "" {
				a.note("revoked token %s, issued before under request id %s", r, requestID)
			}
			_, err = fmt.Fprintln(a.stdout, resp.GetToken())
			return err
		}),
	}, flagSpec{&pid, "principal", "principal the token authenticates (required)"},
		flagSpec{&description, "description", "what the token is for"},
		flagSpec{&expires, "expires", "expiry, RFC 3339 or a duration from now (720h); default never"},
		flagSpec{&requestID, "request-id", "your id of this request: running it again with the same id replaces the token issued under it"})
}

func (a *app) tokensListCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "list", method: adminv1.AdminService_ListTokens_FullMethodName,
		short: "List a principal's tokens (metadata only, never the secret)", example: "  zonectl admin tokens list --principal acme-ops",
		bind: "principal=principal_id"}, tokenView)
}

func (a *app) tokensRevokeCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "revoke", method: adminv1.AdminService_RevokeToken_FullMethodName,
		short:   "Revoke a token by its id (idempotent)",
		more:    "ID is the one 'zonectl admin tokens list' prints.",
		example: "  zonectl admin tokens revoke tok_01J8Z5", bind: "ID=token_id"}, tokenView)
}

func (a *app) whoamiCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "whoami", method: adminv1.AdminService_WhoAmI_FullMethodName,
		short: "Show the principal and role the token belongs to", example: "  zonectl whoami"}, principalView)
}
