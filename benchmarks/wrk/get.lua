-- GET one path with the login cookie; at the end one JSON line of the figures.
-- Environment: BENCH_PATH, BENCH_COOKIE.
wrk.method = "GET"
wrk.path = os.getenv("BENCH_PATH")
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Accept"] = "application/json"
wrk.headers["User-Agent"] = "wrk"

dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
