-- Reserved for charts (issue 16): the chart engineer fills this in. It exists now so that
-- 008 (flag requests) can land first without breaking the 1, 2, 3... sequence.
SELECT 1;
