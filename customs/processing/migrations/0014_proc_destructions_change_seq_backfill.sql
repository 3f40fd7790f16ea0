-- Rows stored before the change numbers: change number 1, so the book's
-- next evidence seal records each of them once more.
UPDATE proc_destructions SET change_seq = 1;
