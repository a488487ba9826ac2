# Datums en tijden, zoals elke pagina ze toont (UTC, op de minuut).
date-time = { $day } { $month } { $year }, { $time } UTC
month-name = { $month ->
    [1] januari
    [2] februari
    [3] maart
    [4] april
    [5] mei
    [6] juni
    [7] juli
    [8] augustus
    [9] september
    [10] oktober
    [11] november
   *[12] december
}
