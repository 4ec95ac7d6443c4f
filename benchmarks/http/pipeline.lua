-- wrk script: sends DEPTH requests in each write and counts each response (HTTP/1.1 pipelining).
--   wrk -t2 -c200 -d4s -s benchmarks/http/pipeline.lua http://127.0.0.1:18181/ -- 16
init = function(args)
   local depth = tonumber(args[1]) or 16
   local r = {}
   for i = 1, depth do r[i] = wrk.format() end
   req = table.concat(r)
end

request = function()
   return req
end
