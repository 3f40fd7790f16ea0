-- A book's most recent write-off date (最近核销日期); NULL: never written off.
-- 缓税利息 on goods taxed on their materials runs from it when it is later
-- than the materials' first import (GACC 公告2009年第14号). Set by the book's
-- owner or customs (BookService/SetLastWriteOffDate).
ALTER TABLE zone_books ADD COLUMN last_write_off_date DATE;
