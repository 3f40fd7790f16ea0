-- Payments of e-commerce tax that customs recorded: one row per payment
-- number, with the lists it paid. A paid list names its payment in
-- ecom_lists.tax_payment_no ('' while unpaid), so the overdue listing
-- leaves it out.
CREATE TABLE ecom_tax_payments (
    no         TEXT PRIMARY KEY,
    guarantor  TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    body       TEXT NOT NULL
);
ALTER TABLE ecom_lists ADD COLUMN tax_payment_no TEXT NOT NULL DEFAULT '';
