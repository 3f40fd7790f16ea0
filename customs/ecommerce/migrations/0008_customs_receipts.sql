-- Customs' receipts (CEB622) for inventory lists, as imported: one row per
-- list, status code and return time, so the same receipt imported again
-- is recognised and changes nothing. applied says whether it moved the
-- list's customs status (an earlier-stage receipt arriving late does not).
CREATE TABLE ecom_list_receipts (
    list_no      TEXT NOT NULL,
    status_code  TEXT NOT NULL,
    return_time  TIMESTAMPTZ NOT NULL,
    info         TEXT NOT NULL,
    guid         TEXT NOT NULL,
    applied      BOOLEAN NOT NULL,
    imported_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (list_no, status_code, return_time)
);
