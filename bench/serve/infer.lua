-- wrk script: every request POSTs one 784-float Open Inference Protocol request (one 28x28 image, shape [1, 784]).
-- Pixel values are a fixed pseudo-random pattern in [0, 1], so every run sends the same bytes: four decimals each,
-- or with NN4J_WRK_NUMBERS=python k/255 written with 17 significant digits, as Python's json.dumps writes float64.
local python = os.getenv("NN4J_WRK_NUMBERS") == "python"
local values = {}
local seed = 12345
for i = 1, 784 do
  seed = (seed * 1103515245 + 12345) % 2147483648
  values[i] = python and string.format("%.17g", (seed % 256) / 255) or string.format("%.4f", (seed % 10000) / 10000)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if os.getenv("NN4J_KEY") then wrk.headers["Authorization"] = "Bearer " .. os.getenv("NN4J_KEY") end
wrk.body = '{"inputs":[{"name":"input","shape":[1,784],"datatype":"FP32","data":[' .. table.concat(values, ",") .. ']}]}'

-- wrk reports answers other than 2xx/3xx as "Non-2xx or 3xx responses", and socket errors separately.
