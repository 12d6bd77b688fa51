# date: fixed dates with -d, formats, -u, -I, -R
# needs: date
date -u -d @0
date -u -d @1234567890 '+%Y-%m-%d %H:%M:%S %a %b %j %s'
date -u -d '2020-02-29 12:34:56' '+%F %T %e %k %l %p %I %y %C %u %w %U %V'
date -u -d '2020-01-31 +1 month' +%F
date -u -d '2021-06-15 1 day ago' +%F
date -u -I -d @86400
date -u -Iseconds -d @86400
date -u -R -d @86400
date -u -d @5 '+%-d %_m %^a %10Y %%'
date -d bogus; echo "status $?"
date -u +%s -d '1970-01-02'
