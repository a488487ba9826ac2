# Dates and times, as every page shows them (UTC, to the minute).
date-time = { $day } { $month } { $year }, { $time } UTC
month-name = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
}
