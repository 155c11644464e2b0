"""Golden values for dev.nn4j.nn.RNN, LSTM and GRU, recorded from PyTorch 1.13.

Each case builds the torch module with a seed and saves its state dict under PyTorch's names (weight_ih_l0,
bias_hh_l1_reverse, ...), the input, the initial states when given (h0, c0), the output and final states
(output, h_n, c_n), random upstream gradients for each (up.output, up.h_n, up.c_n), and the gradients of
L = sum(output*up.output) + sum(h_n*up.h_n) [+ sum(c_n*up.c_n)]: grad.input, grad.h0, grad.c0, grad.<param name>.
Files go to golden/layers/rnn_*.json. Run: /usr/bin/python3 tools/goldens/layers_rnn.py
"""
import torch
import torch.nn as nn

from common import save


def record(name, module, input_shape, seed, initial=False):
    torch.manual_seed(seed)
    x = torch.randn(*input_shape).requires_grad_(True)
    lstm = isinstance(module, nn.LSTM)
    dirs = 2 if module.bidirectional else 1
    tensors = {k: v for k, v in module.state_dict().items()}
    tensors["input"] = x
    states = None
    if initial:
        batch = input_shape[0 if module.batch_first else 1] if len(input_shape) == 3 else None
        shape = (dirs * module.num_layers, batch, module.hidden_size) if batch else (dirs * module.num_layers, module.hidden_size)
        h0 = torch.randn(*shape).requires_grad_(True)
        tensors["h0"] = h0
        if lstm:
            c0 = torch.randn(*shape).requires_grad_(True)
            tensors["c0"] = c0
            states = (h0, c0)
        else:
            states = h0
    out, hn = module(x, states)
    cn = None
    if lstm:
        hn, cn = hn
    loss = 0
    tensors["output"] = out
    tensors["h_n"] = hn
    up = torch.randn(*out.shape)
    tensors["up.output"] = up
    loss = (out * up).sum()
    up = torch.randn(*hn.shape)
    tensors["up.h_n"] = up
    loss = loss + (hn * up).sum()
    if lstm:
        tensors["c_n"] = cn
        up = torch.randn(*cn.shape)
        tensors["up.c_n"] = up
        loss = loss + (cn * up).sum()
    loss.backward()
    tensors["grad.input"] = x.grad
    if initial:
        tensors["grad.h0"] = tensors["h0"].grad
        if lstm:
            tensors["grad.c0"] = tensors["c0"].grad
    for k, p in module.named_parameters():
        tensors["grad." + k] = p.grad
    save("layers", name, tensors, {"repr": repr(module)})


def main():
    torch.manual_seed(1)
    record("rnn_lstm_2layer_bidirectional_initial", nn.LSTM(3, 2, num_layers=2, bidirectional=True), (4, 2, 3), 11, initial=True)
    torch.manual_seed(2)
    record("rnn_lstm_batch_first", nn.LSTM(3, 3, batch_first=True), (2, 4, 3), 12)
    torch.manual_seed(3)
    record("rnn_lstm_batch_first_2layer_initial_nobias", nn.LSTM(2, 2, num_layers=2, bias=False, batch_first=True), (3, 3, 2), 13, initial=True)
    torch.manual_seed(4)
    record("rnn_lstm_unbatched_bidirectional", nn.LSTM(3, 2, bidirectional=True), (4, 3), 14, initial=True)
    torch.manual_seed(5)
    record("rnn_gru_2layer_bidirectional_batch_first_initial", nn.GRU(3, 2, num_layers=2, bidirectional=True, batch_first=True), (2, 4, 3), 15, initial=True)
    torch.manual_seed(6)
    record("rnn_gru_seq_first", nn.GRU(3, 3), (4, 2, 3), 16)
    torch.manual_seed(7)
    record("rnn_gru_nobias_2layer", nn.GRU(2, 2, num_layers=2, bias=False), (3, 2, 2), 17, initial=True)
    torch.manual_seed(8)
    record("rnn_rnn_tanh_2layer_bidirectional_initial", nn.RNN(3, 2, num_layers=2, bidirectional=True), (4, 2, 3), 18, initial=True)
    torch.manual_seed(9)
    record("rnn_rnn_relu_batch_first", nn.RNN(3, 3, nonlinearity="relu", batch_first=True), (2, 4, 3), 19)


if __name__ == "__main__":
    main()
