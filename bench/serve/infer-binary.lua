-- wrk script: the requests of infer.lua (the same 784 pixel values, shape [1, 784]) sent with the Open Inference
-- Protocol's binary tensor data extension: a JSON header, then the 784 values as little-endian FP32 bytes.
-- Outputs stay JSON. Uses LuaJIT's ffi (wrk is built with LuaJIT) to lay out the floats.
local ffi = require("ffi")
local pixels = ffi.new("float[784]")
local seed = 12345
for i = 0, 783 do
  seed = (seed * 1103515245 + 12345) % 2147483648
  pixels[i] = (seed % 10000) / 10000
end
local header = '{"inputs":[{"name":"input","shape":[1,784],"datatype":"FP32","parameters":{"binary_data_size":3136}}]}'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.headers["Inference-Header-Content-Length"] = tostring(#header)
if os.getenv("NN4J_KEY") then wrk.headers["Authorization"] = "Bearer " .. os.getenv("NN4J_KEY") end
wrk.body = header .. ffi.string(pixels, 784 * 4)
