-- Customs' list numbers (invtNo of CEB622 receipts): each belongs to one
-- inventory list. A receipt claims its number here in the transaction that
-- applies it, so two receipts giving one number to two lists cannot both
-- commit, however they interleave.
CREATE TABLE ecom_list_invt_nos (
    invt_no  TEXT PRIMARY KEY,
    list_no  TEXT NOT NULL
);

INSERT INTO ecom_list_invt_nos (invt_no, list_no)
SELECT body::JSONB->>'CustomsInvtNo', no FROM ecom_lists
WHERE COALESCE(body::JSONB->>'CustomsInvtNo', '') <> ''
ON CONFLICT (invt_no) DO NOTHING;
