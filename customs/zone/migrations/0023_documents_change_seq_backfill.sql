-- Documents stored before 0020: change number 1, so the book's next
-- evidence seal records each of them once more.
UPDATE zone_documents SET change_seq = 1;
