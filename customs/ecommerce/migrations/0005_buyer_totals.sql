-- Each buyer's cross-border total per calendar year, and per capped goods
-- (key '' is the value total in CNY; other keys are an HS code's quantity).
CREATE TABLE ecom_buyer_totals (
    id_number TEXT NOT NULL,
    year      INT NOT NULL,
    key       TEXT NOT NULL,
    total     NUMERIC NOT NULL,
    PRIMARY KEY (id_number, year, key)
);
