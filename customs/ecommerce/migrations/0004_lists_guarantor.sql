CREATE INDEX ecom_lists_guarantor ON ecom_lists (guarantor, released_on, no);
