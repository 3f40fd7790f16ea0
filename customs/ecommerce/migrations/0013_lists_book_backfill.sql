-- Lists stored before 0010: their book from their body, and change number
-- 1, so the book's next evidence seal records each of them once more.
UPDATE ecom_lists SET book = COALESCE(body::JSONB->>'Book', ''), change_seq = 1;
